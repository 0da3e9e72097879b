using Atelier.Platform;
using Atelier.Training.Recipes;

namespace Atelier.Training;

/// <summary>How long training runs and what it leaves behind on the way: samples, checkpoints, rollbacks.</summary>
public sealed record ScheduleOptions
{
    /// <summary>Generator steps to train in total (--steps; --epochs converts to this).</summary>
    public long Steps { get; init; } = TrainingDefaults.Steps;

    /// <summary>Steps between sample grids of the fixed seeds 0..SampleCount-1 (0 = never).</summary>
    public int SampleEvery { get; init; } = TrainingDefaults.SampleEvery;

    /// <summary>Images in each sample grid.</summary>
    public int SampleCount { get; init; } = 64;

    /// <summary>Steps between checkpoints (one is also written at the end).</summary>
    public int CheckpointEvery { get; init; } = TrainingDefaults.CheckpointEvery;

    /// <summary>How many recent checkpoints to keep (any marked best is kept too).</summary>
    public int KeepCheckpoints { get; init; } = TrainingDefaults.KeepCheckpoints;

    /// <summary>Steps the discriminator may win outright, in its objective's terms, before a rollback.</summary>
    public int DivergenceWindow { get; init; } = TrainingDefaults.DivergenceWindow;

    /// <summary>
    /// The window the divergence guard uses: <see cref="DivergenceWindow"/>, but at most a tenth of the run (and at
    /// least 50 steps, since a young discriminator may separate real from generated images for a while without
    /// harm), so a short run that collapses is caught before it ends.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveDivergenceWindow => (int)Math.Min(DivergenceWindow, Math.Max(50, Steps / 10));

    /// <summary>Also write TensorBoard event files (run/tensorboard): each step's scalars, evaluations and sample grids.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool TensorBoard { get; init; }

    /// <summary>Rollbacks allowed before training stops.</summary>
    public int MaxRollbacks { get; init; } = TrainingDefaults.MaxRollbacks;

    /// <summary>Throws with the flag named when a value is out of range.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new OptionException($"--steps: {Steps} must be at least 1.");
        if (SampleEvery < 0) throw new OptionException("--sample-every must be 0 (never) or more.");
        if (SampleCount is < 1 or > 256) throw new OptionException($"--sample-count: {SampleCount} is outside 1..256.");
        if (CheckpointEvery < 0) throw new OptionException("--checkpoint-every must be 0 (only at the end) or more.");
        if (KeepCheckpoints < 1) throw new OptionException("--keep-checkpoints must be at least 1.");
        if (DivergenceWindow < 1) throw new OptionException("--divergence-window must be at least 1.");
    }
}
