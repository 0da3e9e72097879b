using Atelier.Data;
using Atelier.Metrics;
using Atelier.Platform;

namespace Atelier.Core.Tests.Metrics;

/// <summary>random-cnn: a fixed random network, the same everywhere, that still tells real images from others.</summary>
public sealed class RandomCnnFeaturesTests
{
    private static byte[] Images(string data, int first, int count, out int channels, out int resolution)
    {
        var source = new DatasetResolver(new AtelierPaths(Path.GetTempPath())).Open(new DatasetRequest(data, 32));
        (channels, resolution) = (source.Channels, source.Resolution);
        int size = channels * resolution * resolution;
        var bytes = new byte[count * size];
        for (int i = 0; i < count; i++) source.Read(first + i, bytes.AsSpan(i * size, size));
        return bytes;
    }

    [Fact]
    public void Two_builds_are_the_same_network_and_give_the_same_features()
    {
        using var a = new RandomCnnFeatures();
        using var b = new RandomCnnFeatures();
        Assert.Equal(a.WeightsHash, b.WeightsHash);
        Assert.Contains(a.WeightsHash[..12], a.Description);
        var images = Images("procedural:kandinsky", 0, 5, out int c, out int r);
        var fa = a.Compute(images, 5, c, r).Features;
        Assert.Equal(5 * 512, fa.Length);
        Assert.Equal(fa, b.Compute(images, 5, c, r).Features);
        // One image alone has the features it has in the batch.
        var alone = a.Compute(images.AsSpan(2 * c * r * r, c * r * r), 1, c, r).Features;
        for (int i = 0; i < 512; i++) Assert.True(Math.Abs(fa[2 * 512 + i] - alone[i]) <= 1e-5 * Math.Max(1, Math.Abs(alone[i])), $"feature {i}: {fa[2 * 512 + i]} in the batch, {alone[i]} alone");
        using var opened = FeatureNetworks.Open(RandomCnnFeatures.NetworkId, new AtelierPaths(Path.GetTempPath()));
        Assert.Equal(a.WeightsHash, Assert.IsType<RandomCnnFeatures>(opened).WeightsHash);
    }

    [Fact]
    public void It_finds_another_sample_of_the_same_art_closer_than_other_art()
    {
        const int n = 150;
        using var network = new RandomCnnFeatures();
        float[] Features(string data, int first)
        {
            var images = Images(data, first, n, out int c, out int r);
            return network.Compute(images, n, c, r).Features;
        }
        var kandinsky = Features("procedural:kandinsky", 0);
        var moreKandinsky = Features("procedural:kandinsky", 10_000);
        var rothko = Features("procedural:rothko", 0);
        double same = KernelInceptionDistance.Compute(kandinsky, moreKandinsky, 512, seed: 0).Mean;
        double other = KernelInceptionDistance.Compute(kandinsky, rothko, 512, seed: 0).Mean;
        Assert.True(other > 10 * Math.Max(same, 1e-6), $"KID to more Kandinsky {same:E3}, to Rothko {other:E3}");
        double fidSame = FrechetDistance.Compute(FeatureStatistics.Of(kandinsky, 512), FeatureStatistics.Of(moreKandinsky, 512));
        double fidOther = FrechetDistance.Compute(FeatureStatistics.Of(kandinsky, 512), FeatureStatistics.Of(rothko, 512));
        Assert.True(fidOther > 2 * fidSame, $"FID to more Kandinsky {fidSame:F3}, to Rothko {fidOther:F3}");
    }
}
