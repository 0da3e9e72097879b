using Atelier.Core.Tests.Training;
using Atelier.Models;
using Atelier.Platform;
using Atelier.Sampling;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Sampling;

public class LatentDirectionTests
{
    [Fact]
    public void SefaFindsTheDirectionsTheFirstLayerAmplifiesMost()
    {
        using var scope = NewDisposeScope();
        // A = [[0, 3, 0], [0, 0, 1], [2, 0, 0], [0, 0, 0]]: ‖A e₁‖ = 3, ‖A e₀‖ = 2, ‖A e₂‖ = 1, so AᵀA = diag(4, 9, 1).
        var a = tensor(new float[] { 0, 3, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0 }, new long[] { 4, 3 });
        var (directions, eigenvalues) = LatentDirections.Factorize(a, 3);
        Assert.Equal([9.0, 4.0, 1.0], eigenvalues.Select(v => Math.Round(v, 6)));
        Assert.Equal([0f, 1f, 0f], directions[0].Select(v => MathF.Round(v, 5)));
        Assert.Equal([1f, 0f, 0f], directions[1].Select(v => MathF.Round(v, 5)));
        Assert.Equal([0f, 0f, 1f], directions[2].Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void DirectionsOfADcganAreOrthonormalAndMoveTheImage()
    {
        using var scope = NewDisposeScope();
        var options = TinyRuns.Model();
        using var g = GanModels.CreateGenerator(options);
        using (var init = new Generator(4)) GanModels.InitializeDcgan(g, init);
        var weight = LatentDirections.FirstLayer(g, options.LatentSize);
        Assert.Equal(options.LatentSize, weight.shape[1]);
        var (directions, eigenvalues) = LatentDirections.Factorize(weight, 4);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(1, directions[i].Sum(v => (double)v * v), 4);
            for (int j = i + 1; j < 4; j++) Assert.Equal(0, directions[i].Zip(directions[j], (x, y) => (double)x * y).Sum(), 4);
            if (i > 0) Assert.True(eigenvalues[i] <= eigenvalues[i - 1]);
        }
        Assert.Equal([(0, 2.5), (3, -1.0)], LatentDirections.ParseEdits("0:2.5, 3:-1"));
        Assert.Contains("--edit", Assert.Throws<OptionException>(() => LatentDirections.ParseEdits("zero:1")).Message);
        Assert.Equal("0:2.5,3:-1", LatentDirections.FormatEdits(LatentDirections.ParseEdits("0:2.5,3:-1")));
    }
}
