using Atelier.Metrics;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;

namespace Atelier.Core.Tests.Training;

public class EvaluationDuringTrainingTests
{
    /// <summary>Returns a scripted sequence of FIDs and records what it was shown.</summary>
    private sealed class ScriptedEvaluator(params double[] fids) : ITrainingEvaluator
    {
        public List<(int Count, int Channels, int Resolution, byte[] Images)> Calls { get; } = [];

        public string Network => "scripted";

        public (double Fid, string Protocol) Fid(byte[] images, int count, int channels, int resolution, string description)
        {
            Calls.Add((count, channels, resolution, images));
            return (fids[Calls.Count - 1], "scripted: " + description);
        }
    }

    [Fact]
    public void BestCheckpointIsMarkedAndTrainingStopsEarly()
    {
        using var temp = new TempFolder();
        var model = TinyRuns.Model();
        var options = TinyRuns.Options(model, steps: 40)
            .WithEvaluation(e => e with { Every = 5, Samples = 12, EarlyStop = 2 })
            .WithSchedule(s => s with { CheckpointEvery = 0 });
        var evaluator = new ScriptedEvaluator(9, 4, 6, 5, 1);
        var run = RunFolder.CreateAt(temp.File("run"));
        run.SaveOptions(options);
        var result = new GanTrainer(options, TinyRuns.Data(model), run) { Evaluator = evaluator }.Run();

        // FIDs 9, 4, 6, 5: the best is at step 10; two evaluations without improvement stop training at step 20.
        Assert.Equal(4, evaluator.Calls.Count);
        Assert.Equal(20, result.Step);
        Assert.Contains("stopped early at step 20", result.Message);
        Assert.All(evaluator.Calls, c => Assert.Equal((12, 1, 28), (c.Count, c.Channels, c.Resolution)));
        Assert.Equal("step-000010", Path.GetFileName(run.Checkpoints.Best()));
        Assert.Equal(Path.GetFullPath(run.Checkpoints.Best()!), TrainedGenerator.ResolveCheckpoint(run.Path, "best"));
        var events = MetricsLog.Read(run.MetricsFile).Where(r => (string?)r["event"] == "evaluation").ToList();
        Assert.Equal([9.0, 4.0, 6.0, 5.0], events.Select(e => (double)e["fid"]!));
        Assert.Equal([true, true, false, false], events.Select(e => (bool)e["best"]!));
        Assert.All(events, e => Assert.StartsWith("scripted: run step", (string)e["protocol"]!));
        using (var plot = Atelier.Imaging.ImageCodec.Decode(result.Plot!))
            Assert.Equal(3 * 360, plot.Height); // losses, D outputs and FID

        // The images evaluated are the averaged generator's seeds 0..11, as bytes, the same as generate gives.
        using var generator = TrainedGenerator.Load(run.Checkpoints.Best()!);
        var expected = generator.Generate(Enumerable.Range(0, 12).Select(i => (long)i).ToList()).Select(Atelier.Imaging.ImageCodec.ToByte).ToArray();
        Assert.Equal(expected, evaluator.Calls[1].Images);
    }

    [Fact]
    public void A_resumed_run_counts_only_its_own_evaluations_toward_best_and_early_stop()
    {
        using var temp = new TempFolder();
        var model = TinyRuns.Model();
        var options = TinyRuns.Options(model, steps: 10)
            .WithEvaluation(e => e with { Every = 5, Samples = 12, EarlyStop = 2 })
            .WithSchedule(s => s with { CheckpointEvery = 5 });
        var run = RunFolder.CreateAt(temp.File("run"));
        run.SaveOptions(options);
        new GanTrainer(options, TinyRuns.Data(model), run) { Evaluator = new ScriptedEvaluator(9, 4) }.Run();
        // `atelier evaluate` measured step 10 in other features; with one event name, only the source keeps it apart.
        File.AppendAllText(run.MetricsFile, """{"event":"evaluation","source":"evaluate","step":10,"checkpoint":"step-000010","fid":0.5,"network":"domain:x","protocol":"network=domain:x"}""" + "\n");
        var more = options.WithSchedule(s => s with { Steps = 20 });
        run.SaveOptions(more);
        var result = new GanTrainer(more, TinyRuns.Data(model), run) { Evaluator = new ScriptedEvaluator(3, 3.5) }.Run();
        var events = Atelier.Training.Log.MetricsHistory.Read(run.MetricsFile).Evaluations.Where(e => e.Source == Atelier.Training.Log.EvaluationSource.Training).ToList();
        Assert.Equal([9.0, 4.0, 3.0, 3.5], events.Select(e => e.Fid!.Value));
        Assert.Equal([true, true, true, false], events.Select(e => e.Best)); // 3 beats training's 4, not evaluate's 0.5
        Assert.Equal("step-000015", Path.GetFileName(run.Checkpoints.Best()));
        Assert.Equal(20, result.Step); // one evaluation without improvement: no early stop
    }

    [Fact]
    public void EarlyStopWithoutEvaluationIsRefused()
    {
        var options = TinyRuns.Options(TinyRuns.Model(), 10).WithEvaluation(e => e with { EarlyStop = 3 });
        Assert.Contains("--early-stop needs --eval-every", Assert.Throws<OptionException>(options.Validate).Message);
    }

    [Fact]
    public void TrainingFidOfTheRealDataItselfIsSmall()
    {
        var model = TinyRuns.Model();
        var data = TinyRuns.Data(model, count: 200);
        using var temp = new TempFolder();
        using var fid = new TrainingFid(new PixelMeans(), data, 100, new FeatureCache(temp.Path));
        var same = data.Pixels[(100 * 784)..(200 * 784)].ToArray();
        var (value, protocol) = fid.Fid(same, 100, 1, 28, "other half");
        var dark = new byte[100 * 784];
        var (far, _) = fid.Fid(dark, 100, 1, 28, "black");
        Assert.True(value < far / 10, $"FID {value} vs {far}");
        Assert.Contains("network=pixel-means", protocol);
        Assert.Contains("n_real=100; n_fake=100", protocol);
    }

    /// <summary>Features: the mean brightness of each 7×7 block of a 28×28 image.</summary>
    private sealed class PixelMeans : IFeatureNetwork
    {
        public string Id => "pixel-means";

        public string Description => "block means";

        public string Preprocessing => "none";

        public int Dimension => 16;

        public int ClassCount => 0;

        public FeatureBatch Compute(ReadOnlySpan<byte> images, int count, int channels, int resolution)
        {
            var f = new float[count * 16];
            for (int i = 0; i < count; i++)
                for (int y = 0; y < 28; y++)
                    for (int x = 0; x < 28; x++) f[i * 16 + y / 7 * 4 + x / 7] += images[i * 784 + y * 28 + x] / 49f;
            return new FeatureBatch(f, null);
        }

        public void Dispose()
        {
        }
    }
}
