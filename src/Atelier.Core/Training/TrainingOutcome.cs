namespace Atelier.Training;

/// <summary>How a training run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>It reached its steps, spent its CPU-time budget, or stopped early because FID stopped improving.</summary>
    Completed,

    /// <summary>Cancelled (Ctrl+C or the cancellation token); a checkpoint is saved and --resume continues it.</summary>
    Interrupted,

    /// <summary>The divergence guard stopped it after its rollbacks were spent.</summary>
    Diverged,
}
