using Atelier.Core.Tests.Training;
using Atelier.Data;
using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Models;

public class ConditionalTests
{
    [Fact]
    public void ConditionalGeneratorTakesTheClassAsTheLastLatentColumn()
    {
        using var scope = NewDisposeScope();
        var options = TinyRuns.Model() with { Classes = 3 };
        using var g = GanModels.CreateGenerator(options);
        g.eval();
        Assert.Contains("class_embed.weight", g.state_dict().Keys);
        Assert.Equal(new long[] { 3, options.LatentSize }, g.state_dict()["class_embed.weight"].shape);
        var z = Latents.ForSeeds([7, 7, 7], options.LatentSize);
        var images = g.forward(Latents.WithLabels(z, [0, 1, 2]));
        Assert.Equal(new long[] { 3, 1, 28, 28 }, images.shape);
        Assert.False(images[0].equal(images[1]).all().item<bool>(), "the label changes nothing");
        Assert.False(images[1].equal(images[2]).all().item<bool>());
        Assert.True(g.forward(Latents.WithLabels(z.narrow(0, 0, 1), [1]))[0].allclose(images[1], rtol: 1e-5, atol: 1e-6));
        var error = Assert.Throws<ArgumentException>(() => g.forward(z));
        Assert.Contains("needs [B, 9] latents", error.Message);
    }

    /// <summary>logit = 0.5 for every image; features = the image's three pixels.</summary>
    private sealed class StubDiscriminator : nn.Module<Tensor, Tensor>, IFeatureDiscriminator
    {
        public StubDiscriminator() : base("stub") { }

        public long FeatureSize => 3;

        public override Tensor forward(Tensor x) => ForwardWithFeatures(x).Logits;

        public (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor images)
        {
            var features = images.flatten(1);
            return (full(new long[] { images.shape[0] }, 0.5f), features);
        }
    }

    [Fact]
    public void ProjectionDiscriminatorAddsTheLabelEmbeddingDotTheFeatures()
    {
        using var scope = NewDisposeScope();
        using var d = new LabelledDiscriminator(new StubDiscriminator(), TinyRuns.Model() with { Classes = 2 });
        using (no_grad())
            d.state_dict()["projection.weight"].copy_(tensor(new float[] { 1, 2, 3, -1, 0, 0.5f }, new long[] { 2, 3 }));
        var x = tensor(new float[] { 1, 1, 1, 2, 0, 4 }, new long[] { 2, 3, 1, 1 });
        var logits = d.ForwardWithFeatures(x, tensor(new long[] { 0, 1 })).Logits.data<float>().ToArray();
        Assert.Equal(0.5 + (1 + 2 + 3), logits[0], 5); // ⟨(1,2,3), (1,1,1)⟩
        Assert.Equal(0.5 + (-2 + 0 + 2), logits[1], 5); // ⟨(−1,0,0.5), (2,0,4)⟩
        logits = d.ForwardWithFeatures(x, tensor(new long[] { 1, 0 })).Logits.data<float>().ToArray();
        Assert.Equal(0.5 + (-1 + 0 + 0.5), logits[0], 5);
        Assert.Equal(0.5 + (2 + 0 + 12), logits[1], 5);
        Assert.Throws<InvalidOperationException>(() => d.forward(x)); // labels are an input: none given, none used
        Assert.Throws<InvalidOperationException>(() => d.ForwardWithFeatures(x, tensor(new long[] { 1 })));
    }

    [Fact]
    public void StyleAmbiguityIsLogKForAUniformPosteriorAndLargerForAConfidentOne()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(Math.Log(4), StyleAmbiguity.Compute(zeros(5, 4)).item<float>(), 5);
        var confident = tensor(new float[] { 10, 0, 0, 0 }, new long[] { 1, 4 });
        Assert.True(StyleAmbiguity.Compute(confident).item<float>() > Math.Log(4) + 1);
    }

    private static ImageSet Labelled(ModelOptions model)
    {
        var blobs = TinyRuns.Data(model, count: 64);
        var labels = Enumerable.Range(0, 64).Select(i => i % 3).ToArray();
        return new ImageSet("labelled-blobs", blobs.Pixels.ToArray(), 64, model.Channels, model.Resolution, labels, ["a", "b", "c"], "labelled-blobs-64");
    }

    [Theory]
    [InlineData("conditional")]
    [InlineData("can")]
    public void TwentyLabelledStepsStayFinite(string mode)
    {
        using var temp = new TempFolder();
        var model = mode == "conditional" ? TinyRuns.Model() with { Classes = 3 } : TinyRuns.Model() with { ClassHead = 3 };
        var options = (TinyRuns.Options(model, 20) with { ClassNames = ["a", "b", "c"] })
            .WithGame(g => g with { StyleAmbiguity = mode == "can" ? 1 : 0 });
        var result = TinyRuns.Train(temp.Path, options, Labelled(model));
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        var rows = MetricsLog.Read(new RunFolder(temp.Path).MetricsFile).Where(r => r["lossD"] is not null).ToList();
        Assert.All(rows, r => Assert.True(double.IsFinite(r["lossD"]!.GetValue<double>()) && double.IsFinite(r["lossG"]!.GetValue<double>())));
        using var generator = TrainedGenerator.Load(result.Checkpoint!);
        if (mode == "conditional")
        {
            Assert.Equal(2, generator.ResolveClass("c"));
            Assert.Equal(1, generator.ResolveClass("1"));
            Assert.Contains("it has 0 a, 1 b, 2 c", Assert.Throws<OptionException>(() => generator.ResolveClass("d")).Message);
            var asB = generator.Generate([5], 1);
            Assert.Equal(asB, generator.Generate([5], 1));
            Assert.NotEqual(asB, generator.Generate([5], 2));
            Assert.Equal(generator.Generate([4]), generator.Generate([4], 1)); // default class: seed mod classes
        }
        else
        {
            Assert.Contains("not class-conditional", Assert.Throws<OptionException>(() => generator.ResolveClass("a")).Message);
        }
    }

    [Fact]
    public void UnlabelledDataIsRefusedForAConditionalModel()
    {
        using var temp = new TempFolder();
        var model = TinyRuns.Model() with { Classes = 3 };
        var error = Assert.Throws<OptionException>(() => TinyRuns.Train(temp.Path, TinyRuns.Options(model, 2)));
        Assert.Contains("has no labels; the model needs 3 labelled classes", error.Message);
        Assert.Contains("contradicts", Assert.Throws<OptionException>(() => (TinyRuns.Model() with { Classes = 3, ClassHead = 3 }).Validate()).Message);
    }
}
