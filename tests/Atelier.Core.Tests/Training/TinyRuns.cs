using Atelier.Data;
using Atelier.Models;
using Atelier.Runs;
using Atelier.Training;

namespace Atelier.Core.Tests.Training;

/// <summary>Small models and data so that training tests take seconds.</summary>
internal static class TinyRuns
{
    public static ModelOptions Model(string architecture = "dcgan", int resolution = 28, int channels = 1) =>
        new(architecture, resolution, channels, LatentSize: 8, GeneratorWidth: 8, DiscriminatorWidth: 8);

    public static ImageSet Data(ModelOptions model, int count = 64, int seed = 1)
    {
        var bytes = new byte[count * model.Channels * model.Resolution * model.Resolution];
        var random = new Random(seed);
        // Blobs rather than noise: a bright square at a random place on a dark ground.
        int r = model.Resolution, plane = r * r;
        for (int i = 0; i < count; i++)
        {
            int x0 = random.Next(r - 8), y0 = random.Next(r - 8);
            for (int c = 0; c < model.Channels; c++)
                for (int y = y0; y < y0 + 8; y++)
                    for (int x = x0; x < x0 + 8; x++)
                        bytes[i * model.Channels * plane + c * plane + y * r + x] = (byte)(200 + 20 * c);
        }
        return new ImageSet("blobs", bytes, count, model.Channels, r, null, null, $"blobs-{count}-{seed}-{r}-{model.Channels}");
    }

    public static TrainingOptions Options(ModelOptions model, long steps) =>
        new("blobs", model)
        {
            Optimization = new() { BatchSize = 8 },
            Schedule = new() { Steps = steps, SampleEvery = 0, CheckpointEvery = 0, SampleCount = 4 },
            Augmentation = new() { Flip = true },
            Threads = 2,
        };

    /// <summary>
    /// Trains <paramref name="options"/> straight through in one folder and, in another, to <paramref name="split"/>
    /// steps and then resumed to the end: the final manifests of both, for exact-resume checks, and the straight result.
    /// </summary>
    public static (CheckpointManifest Straight, CheckpointManifest Resumed, TrainingResult Result) StraightAndResumed(string folder, TrainingOptions options, long split)
    {
        var straight = Path.Combine(folder, "straight");
        var resumed = Path.Combine(folder, "resumed");
        var result = Train(straight, options);
        Train(resumed, options.WithSchedule(s => s with { Steps = split }));
        Train(resumed, options);
        long end = options.Schedule.Steps;
        return (CheckpointStore.ReadManifest(new RunFolder(straight).Checkpoints.PathFor(end)), CheckpointStore.ReadManifest(new RunFolder(resumed).Checkpoints.PathFor(end)), result);
    }

    public static TrainingResult Train(string folder, TrainingOptions options, ImageSet? data = null, Action<GanNetworks, long>? beforeStep = null)
    {
        var run = Directory.Exists(folder) ? new RunFolder(folder) : RunFolder.CreateAt(folder);
        if (!File.Exists(run.OptionsFile)) run.SaveOptions(options);
        var trainer = new GanTrainer(options, data ?? Data(options.Model), run) { BeforeStep = beforeStep };
        return trainer.Run();
    }
}
