using Atelier.Platform;
using Atelier.Sampling;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Sampling;

public sealed class SamplingTests
{
    [Theory]
    [InlineData("0-3", new long[] { 0, 1, 2, 3 })]
    [InlineData("7", new long[] { 7 })]
    [InlineData("1,5,9", new long[] { 1, 5, 9 })]
    [InlineData("0-1, 10-11", new long[] { 0, 1, 10, 11 })]
    public void Seed_lists_parse(string text, long[] expected) => Assert.Equal(expected, SeedRange.Parse(text));

    [Theory]
    [InlineData("5-2", "runs backwards")]
    [InlineData("a-b", "not a seed")]
    [InlineData("1,,2", "empty item")]
    [InlineData("-3", "not a seed")]
    [InlineData("0-200000", "more than")]
    public void Bad_seed_lists_name_the_flag(string text, string why)
    {
        var e = Assert.Throws<OptionException>(() => SeedRange.Parse(text));
        Assert.StartsWith("--seeds", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Seed_latents_are_fixed_and_distinct()
    {
        Assert.True(Latents.ForSeed(5, 16).equal(Latents.ForSeed(5, 16)).all().item<bool>());
        Assert.False(Latents.ForSeed(5, 16).equal(Latents.ForSeed(6, 16)).all().item<bool>());
        Assert.True(Latents.ForSeeds([5, 6], 16)[1].equal(Latents.ForSeed(6, 16)).all().item<bool>());
    }

    [Fact]
    public void Slerp_keeps_endpoints_and_norm_between_orthogonal_vectors()
    {
        var a = tensor(new[] { 1f, 0f });
        var b = tensor(new[] { 0f, 1f });
        Assert.True(Latents.Slerp(a, b, 0).allclose(a));
        Assert.True(Latents.Slerp(a, b, 1).allclose(b, atol: 1e-6));
        var mid = Latents.Slerp(a, b, 0.5);
        Assert.Equal(1f, mid.norm().item<float>(), 5);
        Assert.Equal(MathF.Sqrt(0.5f), mid[0].item<float>(), 5);
    }
}
