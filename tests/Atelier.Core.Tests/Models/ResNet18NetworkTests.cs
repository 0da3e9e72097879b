using Atelier.Data;
using Atelier.Metrics;
using Atelier.Models.Pretrained;
using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Models;

/// <summary>The TorchSharp ResNet18 against ONNX Runtime running the shipped ONNX file, on real images.</summary>
public sealed class ResNet18NetworkTests
{
    /// <summary>Eight procedural paintings and eight Fashion-MNIST photographs (grey, repeated to RGB).</summary>
    private static (byte[] Pixels, int Count, int Channels, int Resolution)[] RealImages()
    {
        var resolver = new DatasetResolver(new AtelierPaths(Path.GetTempPath()));
        return [Take(resolver, "procedural:kandinsky", 64), Take(resolver, "fashion-mnist", 28)];
    }

    private static (byte[], int, int, int) Take(DatasetResolver resolver, string data, int resolution)
    {
        var source = resolver.Open(new DatasetRequest(data, resolution));
        const int count = 8;
        int size = source.Channels * source.Resolution * source.Resolution;
        var bytes = new byte[count * size];
        for (int i = 0; i < count; i++) source.Read(i * 97, bytes.AsSpan(i * size, size));
        return (bytes, count, source.Channels, source.Resolution);
    }

    [Fact]
    public void Pooled_features_match_onnx_runtime_to_1e4_on_real_images()
    {
        using var onnx = new ResNet18Features();
        using var network = ResNet18Network.Load();
        foreach (var (pixels, count, channels, resolution) in RealImages())
        {
            var expected = onnx.Compute(pixels, count, channels, resolution).Features;
            // The same 224×224 RGB planes that ResNet18Features feeds ONNX Runtime, through the TorchSharp network.
            const int plane = 3 * ResNet18Features.Size * ResNet18Features.Size;
            var rgb = new float[count * plane];
            int imageBytes = channels * resolution * resolution;
            for (int i = 0; i < count; i++)
                ImageResize.ToRgbPlanes(pixels.AsSpan(i * imageBytes, imageBytes), channels, resolution, ResNet18Features.Size, rgb.AsSpan(i * plane, plane));
            using var scope = NewDisposeScope();
            var input = tensor(rgb, new long[] { count, 3, ResNet18Features.Size, ResNet18Features.Size });
            var actual = network.forward(network.Preprocess(input)).data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            double worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4, $"largest difference from ONNX Runtime {worst:E2}");
            Assert.True(expected.Max() > 0.5f, "features of real images are not all near zero");
        }
    }

    [Fact]
    public void It_is_frozen_differentiable_in_its_input_and_runs_at_the_images_own_size()
    {
        using var network = ResNet18Network.Load();
        Assert.All(network.parameters(), p => Assert.False(p.requires_grad));
        Assert.Contains("mean_image", network.state_dict().Keys);
        Assert.Contains("layer4.2.bn2.running_var", network.state_dict().Keys);
        network.train();
        Assert.False(network.training);
        using var scope = NewDisposeScope();
        var images = (rand(2, 3, 64, 64, generator: manual_seed(3)) * 2 - 1).requires_grad_();
        var stages = network.Stages(network.PreprocessSigned(images));
        Assert.Equal([[2, 64, 16, 16], [2, 128, 8, 8], [2, 256, 4, 4], [2, 512, 2, 2]], stages.Select(s => s.shape).ToArray());
        stages.Select(s => s.square().mean()).Aggregate((a, b) => a + b).backward();
        Assert.True(images.grad is { } g && g.abs().sum().item<float>() > 0);
        Assert.All(network.parameters(), p => Assert.Null(p.grad));
        // Its weights are the ONNX file's: never written by training, so the same file gives the same hash.
        using var again = ResNet18Network.Load();
        Assert.Equal(Atelier.Models.FrozenModule.HashOf(network.state_dict()), Atelier.Models.FrozenModule.HashOf(again.state_dict()));
    }

    [Fact]
    public void Channels_last_strides_give_the_same_stages_up_to_rounding()
    {
        // The projected discriminator feeds the network channels-last strides for speed; the values must not change.
        using var network = ResNet18Network.Load();
        using var scope = NewDisposeScope();
        var (pixels, count, channels, resolution) = RealImages()[0];
        var images = tensor(pixels.Select(b => b / 127.5f - 1).ToArray(), new long[] { count, channels, resolution, resolution });
        var input = network.PreprocessSigned(images);
        var plain = network.Stages(input);
        var strided = network.Stages(input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2));
        for (int i = 0; i < 4; i++)
        {
            double scale = plain[i].abs().max().item<float>();
            double worst = (plain[i] - strided[i]).abs().max().item<float>();
            Assert.True(scale > 0.1 && worst <= 1e-5 * scale, $"stage {i}: largest difference {worst:E2} of values up to {scale:F2}");
        }
    }

    [Fact]
    public void A_file_that_is_not_the_resnet18_it_expects_is_refused_naming_it()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(ResNet18Features.DefaultDirectory, "ResNetPreprocess.onnx"), temp.File("ResNetPreprocess.onnx"));
        File.Copy(Path.Combine(ResNet18Features.DefaultDirectory, "ResNetPreprocess.onnx"), temp.File("ResNet18.onnx"));
        var e = Assert.Throws<InvalidDataException>(() => ResNet18Network.Load(temp.Path));
        Assert.Contains("ResNet18.onnx: 0 Conv/BatchNormalization nodes", e.Message);
        File.WriteAllBytes(temp.File("ResNet18.onnx"), [0xff, 0xff, 0xff, 0xff]);
        Assert.Contains("not an ONNX model", Assert.Throws<InvalidDataException>(() => ResNet18Network.Load(temp.Path)).Message);
    }
}
