using Atelier.Platform;
using Atelier.Sampling;

namespace Atelier.Core.Tests.Sampling;

public class LatentShapeTests
{
    [Fact]
    public void TruncationAndVariationParseAndRefuseWithTheirFlag()
    {
        Assert.Equal(0.7, LatentShape.ParseTruncation("0.7"));
        Assert.Equal(2, LatentShape.ParseTruncation("2"));
        foreach (var bad in new[] { "0", "-1", "2.5", "nan", "x" })
            Assert.StartsWith("--truncation:", Assert.Throws<OptionException>(() => LatentShape.ParseTruncation(bad)).Message);
        Assert.Equal((3, 0.5), LatentShape.ParseVariation("3:0.5"));
        Assert.Equal("3:0.5", LatentShape.FormatVariation((3, 0.5)));
        foreach (var bad in new[] { "3", "-1:1", "1:9", "1:-0.1", "a:b", "1:0.5:2" })
            Assert.StartsWith("--variation:", Assert.Throws<OptionException>(() => LatentShape.ParseVariation(bad)).Message);
    }

    [Fact]
    public void VariationSeedsArePureFunctionsOfSeedAndIndex()
    {
        var seeds = new HashSet<long>();
        for (long seed = 0; seed < 50; seed++)
            for (int index = 0; index < 20; index++)
            {
                long v = LatentShape.VariationSeed(seed, index);
                Assert.Equal(v, LatentShape.VariationSeed(seed, index));
                Assert.InRange(v, 0, uint.MaxValue);
                seeds.Add(v);
            }
        Assert.Equal(1000, seeds.Count);
    }

    [Fact]
    public void RecipesWithoutShapingKeepTheirOldJsonSoOldImagesStillReproduce()
    {
        var plain = new GenerationRecipe(GenerationKind.SingleImage, "5", Edits: "0:1");
        Assert.Equal("""{"kind":"single","seeds":"5","columns":0,"class":null,"aspect":null,"average":true,"edits":"0:1"}""", plain.ToJson());
        Assert.True(plain.Shape() is { Truncation: 1, Variation: null } s && s.Edits.Count == 1);
        var shaped = plain with { Truncation = 0.7, Variation = "2:0.25" };
        Assert.Equal(shaped, GenerationRecipe.FromJson(shaped.ToJson()));
        Assert.Equal((2, 0.25), shaped.Shape().Variation);
        Assert.Throws<OptionException>(() => (plain with { Truncation = 5 }).Shape());
    }
}
