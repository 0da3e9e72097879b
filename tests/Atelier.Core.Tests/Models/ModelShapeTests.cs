using Atelier.Models;
using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Models;

public sealed class ModelShapeTests
{
    public static TheoryData<string, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var r in ModelOptions.DcganResolutions)
            foreach (var c in new[] { 1, 3 }) data.Add("dcgan", r, c);
        data.Add("classic", 28, 1);
        data.Add("classic", 28, 3);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Generator_and_discriminator_have_the_promised_shapes(string architecture, int resolution, int channels)
    {
        using var scope = NewDisposeScope();
        var options = new ModelOptions(architecture, resolution, channels, LatentSize: 10, GeneratorWidth: 4, DiscriminatorWidth: 4);
        var g = GanModels.CreateGenerator(options);
        var d = GanModels.CreateDiscriminator(options);
        var images = g.forward(randn(3, 10));
        Assert.Equal(new long[] { 3, channels, resolution, resolution }, images.shape);
        Assert.True(images.abs().max().item<float>() <= 1f, "tanh output stays in [-1, 1]");
        var logits = d.forward(images);
        Assert.Equal(new long[] { 3 }, logits.shape);
    }

    [Fact]
    public void Dcgan64_matches_the_pytorch_examples_parameter_count()
    {
        // pytorch/examples DCGAN (nz 100, ngf = ndf = 64, nc 3): G 3,576,704 and D 2,765,568 parameters.
        var options = new ModelOptions("dcgan", 64, 3, 100, 64, 64);
        Assert.Equal(3_576_704, GanModels.CreateGenerator(options).parameters().Sum(p => p.numel()));
        Assert.Equal(2_765_568, GanModels.CreateDiscriminator(options).parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Classic_matches_the_peer_mnist_shapes()
    {
        // Linear(100, 6272) + ConvT(128, 64, 4) + BN(64) + ConvT(64, 1, 4); Conv(1, 64, 4) + Conv(64, 128, 4) + BN(128) + Linear(6272, 1).
        var options = new ModelOptions("classic", 28, 1, 100, 64, 64);
        long g = 100 * 6272 + 6272 + 128 * 64 * 16 + 64 + 2 * 64 + 64 * 1 * 16 + 1;
        long d = 1 * 64 * 16 + 64 + 64 * 128 * 16 + 128 + 2 * 128 + 6272 + 1;
        Assert.Equal(g, GanModels.CreateGenerator(options).parameters().Sum(p => p.numel()));
        Assert.Equal(d, GanModels.CreateDiscriminator(options).parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("stylegan", 64, "--model")]
    [InlineData("dcgan", 48, "--resolution")]
    [InlineData("classic", 64, "--resolution")]
    public void Bad_options_name_the_flag(string architecture, int resolution, string flag)
    {
        var e = Assert.Throws<OptionException>(() => new ModelOptions(architecture, resolution).Validate());
        Assert.StartsWith(flag, e.Message);
    }

    [Fact]
    public void Initialisation_follows_radford()
    {
        var g = GanModels.CreateGenerator(new ModelOptions("dcgan", 64, 3, 100, 64, 64));
        GanModels.InitializeDcgan(g, new Generator(3));
        foreach (var (name, p) in g.named_parameters())
        {
            double mean = p.mean().item<float>(), std = p.std().item<float>();
            if (name.Contains("norm") && name.EndsWith("weight")) Assert.InRange(mean, 0.99, 1.01);
            else if (name.EndsWith("weight")) { Assert.InRange(mean, -0.002, 0.002); Assert.InRange(std, 0.018, 0.022); }
            else Assert.Equal(0, p.abs().sum().item<float>());
        }
    }
}
