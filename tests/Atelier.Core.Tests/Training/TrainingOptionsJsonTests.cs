using System.Text.Json;
using System.Text.Json.Nodes;
using Atelier.Models;
using Atelier.Objectives;
using Atelier.Runs;
using Atelier.Training;

namespace Atelier.Core.Tests.Training;

/// <summary>
/// <see cref="TrainingOptions"/> is made of parts in code but stays one flat object in options.json and checkpoints, key
/// for key what runs wrote before the parts existed (tests/Atelier.Cli.Tests/Fixtures/legacy-atlt-run/options.json).
/// </summary>
public sealed class TrainingOptionsJsonTests
{
    private static readonly string LegacyOptions = Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy-options.json");

    [Fact]
    public void An_options_file_written_before_the_parts_reads_into_them_and_writes_back_the_same_json()
    {
        var legacy = File.ReadAllText(LegacyOptions);
        var options = JsonSerializer.Deserialize<TrainingOptions>(legacy, RunFolder.Json)!;
        Assert.Equal(("procedural:rothko", 32, Normalization.Batch), (options.Data, options.Model.Resolution, options.Model.DiscriminatorNormalization));
        Assert.Equal((4L, 2, 2, 64), (options.Schedule.Steps, options.Schedule.SampleEvery, options.Schedule.CheckpointEvery, options.Schedule.SampleCount));
        Assert.Equal((Objective.NonSaturating, 16), (options.Game.Objective, options.Game.R1Every));
        Assert.Equal((Optimizer.Adam, 4, 0.0002), (options.Optimization.Optimizer, options.Optimization.BatchSize, options.Optimization.LearningRate));
        Assert.Equal((AugmentMode.None, "color,translation,cutout", true), (options.Augmentation.Mode, options.Augmentation.Operations, options.Augmentation.Flip));
        Assert.Equal(("resnet18-imagenet", 1000), (options.Evaluation.Network, options.Evaluation.Samples));
        Assert.Equal(1, options.Threads);

        var written = JsonNode.Parse(JsonSerializer.Serialize(options, RunFolder.Json))!.AsObject();
        var before = JsonNode.Parse(legacy)!.AsObject();
        Assert.Equal(before.Select(p => p.Key).Order(), written.Select(p => p.Key).Order());
        foreach (var (key, value) in before) Assert.True(JsonNode.DeepEquals(value, written[key]), $"{key}: {value?.ToJsonString()} became {written[key]?.ToJsonString()}");
    }

    [Fact]
    public void Every_part_round_trips()
    {
        var options = new TrainingOptions("x", new ModelOptions(DiscriminatorNormalization: Normalization.Layer))
        {
            Game = new() { Objective = Objective.WganGp, GradientPenalty = 10, DiscriminatorSteps = 5, R1Gamma = 0.5 },
            Optimization = new() { Optimizer = Optimizer.RmsProp, GeneratorLearningRate = 1e-4, BatchSize = 16 },
            Augmentation = new() { Mode = AugmentMode.Ada, Operations = "color", Flip = false },
            Evaluation = new() { Every = 100, Network = "inception-v3", Samples = 500, EarlyStop = 3 },
            Schedule = new() { Steps = 1234, KeepCheckpoints = 5 },
            Seed = 7,
            ClassNames = ["a", "b"],
        };
        var json = JsonSerializer.Serialize(options, RunFolder.Json);
        var back = JsonSerializer.Deserialize<TrainingOptions>(json, RunFolder.Json)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, RunFolder.Json));
        Assert.Equal((options.Game, options.Optimization, options.Augmentation, options.Evaluation, options.Schedule), (back.Game, back.Optimization, back.Augmentation, back.Evaluation, back.Schedule));
        var flat = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(("wgan-gp", "rmsprop", "ada", "layer"), (flat["objective"]!.GetValue<string>(), flat["optimizer"]!.GetValue<string>(), flat["augment"]!.GetValue<string>(), flat["model"]!["discriminatorNormalization"]!.GetValue<string>()));
        Assert.Null(flat["game"]);
    }

    [Theory]
    [InlineData("\"objective\": \"non-saturating\"", "\"objective\": \"gan\"")]
    [InlineData("\"optimizer\": \"adam\"", "\"optimizer\": 1")]
    [InlineData("\"augment\": \"none\"", "\"augment\": \"mixup\"")]
    public void An_unknown_value_in_a_file_fails_to_load_rather_than_train_with_a_default(string from, string to)
    {
        var legacy = File.ReadAllText(LegacyOptions);
        Assert.Contains(from, legacy);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrainingOptions>(legacy.Replace(from, to, StringComparison.Ordinal), RunFolder.Json));
    }
}
