using Atelier.Export;
using Atelier.Models;
using Microsoft.ML.OnnxRuntime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DenseLongTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = TorchSharp.torch.Tensor;

namespace Atelier.Core.Tests.Export;

/// <summary>Exported generators run in ONNX Runtime, which Atelier did not write, and give Atelier's images.</summary>
public sealed class GeneratorOnnxTests
{
    /// <summary>A generator with random weights and batch-norm statistics far from 0 and 1, so that folding them matters.</summary>
    internal static nn.Module<Tensor, Tensor> Generator(ModelOptions options, int seed)
    {
        manual_seed(seed);
        var network = GanModels.CreateGenerator(options);
        using (no_grad())
        {
            var generator = new TorchSharp.torch.Generator((ulong)seed + 1);
            foreach (var (_, module) in network.named_modules())
            {
                if (module is not BatchNorm2d norm) continue;
                norm.running_mean!.copy_(randn(norm.running_mean.shape, generator: generator) * 0.5);
                norm.running_var!.copy_(rand(norm.running_var.shape, generator: generator) * 2 + 0.3);
                norm.weight!.copy_(randn(norm.weight.shape, generator: generator) * 0.3 + 1);
                norm.bias!.copy_(randn(norm.bias.shape, generator: generator) * 0.2);
            }
            if (network is Atelier.Models.Autoencoders.AutoencoderDecoder decoder) // a prior that is not N(0, 1), so that leaving it out shows
            {
                decoder.Prior.Mean.copy_(randn(decoder.Prior.Mean.shape, generator: generator) * 0.5);
                decoder.Prior.Std.copy_(rand(decoder.Prior.Std.shape, generator: generator) + 0.5);
            }
            network.train();
            for (int i = 0; i < 3; i++) // spectral norm's u moves off its start
                network.forward(options.Classes > 0 ? cat([randn(4, options.LatentSize), zeros(4, 1)], 1) : randn(4, options.LatentSize));
        }
        network.eval();
        return network;
    }

    private static float MaxDifference(nn.Module<Tensor, Tensor> network, ModelOptions options, byte[] model, int batch)
    {
        using var scope = NewDisposeScope();
        var z = randn(new long[] { batch, options.LatentSize }, generator: new TorchSharp.torch.Generator(7));
        var labels = arange(batch, ScalarType.Int64) % Math.Max(1, options.Classes);
        Tensor expected;
        using (no_grad())
            expected = network.forward(options.Classes > 0 ? cat([z, labels.to_type(ScalarType.Float32).unsqueeze(1)], 1) : z);
        using var session = new InferenceSession(model);
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("z", new DenseTensor(z.data<float>().ToArray(), [batch, options.LatentSize])) };
        if (options.Classes > 0) inputs.Add(NamedOnnxValue.CreateFromTensor("class", new DenseLongTensor(labels.data<long>().ToArray(), [batch])));
        using var results = session.Run(inputs);
        var image = results.Single(r => r.Name == "image").AsTensor<float>();
        Assert.Equal(new[] { batch, options.Channels, options.Resolution, options.Resolution }, image.Dimensions.ToArray());
        var actual = image.ToArray();
        var reference = expected.contiguous().data<float>().ToArray();
        Assert.Equal(reference.Length, actual.Length);
        Assert.True(reference.Select(Math.Abs).Max() > 0.05f, "the reference images are flat; the test would not see a wrong graph");
        return reference.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
    }

    [Theory]
    [InlineData("dcgan", 32, 3, 0)]
    [InlineData("dcgan", 64, 1, 0)]
    [InlineData("dcgan", 32, 3, 5)]
    [InlineData("classic", 28, 1, 0)]
    [InlineData("fastgan", 64, 3, 0)]
    [InlineData("fastgan", 128, 3, 0)]
    [InlineData("autoencoder", 32, 3, 0)]
    [InlineData("vae", 32, 1, 0)]
    public void OnnxRuntimeGivesAteliersImagesForTheSameLatents(string architecture, int resolution, int channels, int classes)
    {
        var options = new ModelOptions(architecture, resolution, channels, LatentSize: 12, GeneratorWidth: architecture == "fastgan" ? 4 : 8, DiscriminatorWidth: 4, Classes: classes);
        using var network = Generator(options, seed: resolution + classes);
        var model = GeneratorOnnx.Export(network, options, new Dictionary<string, string> { ["atelier.weights"] = "test" });
        Assert.True(MaxDifference(network, options, model, batch: 3) < 1e-4f);
        Assert.True(MaxDifference(network, options, model, batch: 1) < 1e-4f); // the batch is dynamic

        var proto = Onnx.ModelProto.Parser.ParseFrom(model);
        Assert.Equal("N", proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "BatchNormalization"); // folded
        Assert.Equal("test", proto.MetadataProps.Single(p => p.Key == "atelier.weights").Value);
        Assert.Equal(model, GeneratorOnnx.Export(network, options, new Dictionary<string, string> { ["atelier.weights"] = "test" })); // same weights, same bytes
    }

    [Fact]
    public void AGeneratorWithVirtualBatchNormIsRefusedWithTheReason()
    {
        var options = new ModelOptions("dcgan", 32, 3, LatentSize: 8, GeneratorWidth: 4, DiscriminatorWidth: 4, VirtualBatchNorm: true, ReferenceBatchSize: 4);
        using var network = GanModels.CreateGenerator(options);
        var e = Assert.Throws<NotSupportedException>(() => GeneratorOnnx.Export(network, options));
        Assert.Contains("virtual batch norm", e.Message);
    }
}
