using System.Text.Json;
using Atelier.Imaging;
using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;

namespace Atelier.Core.Tests.Training;

/// <summary>The option enums keep the names options.json, checkpoints and the command line have always used.</summary>
public sealed class OptionEnumTests
{
    [Fact]
    public void Every_enum_has_the_names_files_and_flags_use()
    {
        Assert.Equal(["minimax", "non-saturating", "wgan", "wgan-gp", "hinge", "least-squares"], EnumText.Names<Objective>());
        Assert.Equal(["adam", "rmsprop"], EnumText.Names<Optimizer>());
        Assert.Equal(["none", "diffaugment", "ada"], EnumText.Names<AugmentMode>());
        Assert.Equal(["batch", "layer", "none"], EnumText.Names<Normalization>());
        Assert.Equal(["cpu", "cuda"], EnumText.Names<ComputeDevice>());
        Assert.Equal(["grid", "single", "directions"], EnumText.Names<GenerationKind>());
        Assert.Equal(Enum.GetValues<Objective>().Length, EnumText.Names<Objective>().Count);
    }

    [Fact]
    public void Parsing_is_exact_and_a_wrong_name_is_refused_naming_the_flag()
    {
        Assert.Equal(Objective.WganGp, EnumText.Parse<Objective>("wgan-gp", "--objective", "objective"));
        Assert.Equal(AugmentMode.DiffAugment, EnumText.Parse<AugmentMode>("diffaugment", "--augment", "mode"));
        var e = Assert.Throws<OptionException>(() => EnumText.Parse<Objective>("WganGp", "--objective", "objective"));
        Assert.Equal("--objective: unknown objective 'WganGp'; choose one of minimax, non-saturating, wgan, wgan-gp, hinge, least-squares.", e.Message);
    }

    [Theory]
    [InlineData("\"least-squares\"", true)]
    [InlineData("\"LeastSquares\"", false)]
    [InlineData("5", false)]
    [InlineData("\"gan\"", false)]
    public void Json_holds_the_name_and_nothing_else(string json, bool valid)
    {
        foreach (var options in new[] { RunFolder.Json, JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            if (valid) Assert.Equal(Objective.LeastSquares, JsonSerializer.Deserialize<Objective>(json, options));
            else Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Objective>(json, options));
        }
        Assert.Equal("\"wgan-gp\"", JsonSerializer.Serialize(Objective.WganGp, RunFolder.Json));
        Assert.Equal("\"CenterCrop\"", JsonSerializer.Serialize(ImageFit.CenterCrop, RunFolder.Json));
    }
}
