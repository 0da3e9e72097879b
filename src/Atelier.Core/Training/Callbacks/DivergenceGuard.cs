using Atelier.Training.Log;

namespace Atelier.Training.Callbacks;

/// <summary>
/// Rolls a run back to its last healthy checkpoint (finite weights, the discriminator not winning outright when it was
/// written) at half the learning rate when a loss is not finite or the discriminator has won outright, in its
/// objective's terms, for the effective divergence window (at most a tenth of the run) in a row; stops the run after
/// MaxRollbacks rollbacks.
/// </summary>
public sealed class DivergenceGuard : ITrainingCallback
{
    public void OnStepEnd(TrainingSession session, StepStats stats)
    {
        var o = session.Options;
        bool finite = stats.Finite;
        session.WinStreak = stats.DiscriminatorWon ? session.WinStreak + 1 : 0;
        if (finite && session.WinStreak < o.Schedule.EffectiveDivergenceWindow) return;
        var reason = !finite
            ? stats.IsAutoencoder ? $"non-finite loss ({stats.LossG}; reconstruction {stats.Reconstruction}, KL {stats.Kl})" : $"non-finite loss (D {stats.LossD}, G {stats.LossG})"
            : $"the discriminator won outright for {session.WinStreak} steps ({session.Networks.Objective.WinCondition})";
        long step = session.Step;
        int rollbacks = session.CountRollback();
        if (rollbacks > o.Schedule.MaxRollbacks)
        {
            session.Metrics.Write(TrainingEvents.StoppedEvent(step, reason));
            session.Stop(TrainingOutcome.Diverged, $"training diverged at step {step}: {reason}; stopped after {o.Schedule.MaxRollbacks} rollbacks. " +
                $"The last healthy checkpoint is {session.Checkpoints.LatestHealthy() ?? "none"}. Try a lower --lr or another objective.");
            return;
        }
        var good = session.RollBack();
        session.Metrics.Write(TrainingEvents.RollbackEvent(step, good.Step, reason, session.LearningRateScale, rollbacks));
        session.Log($"step {step}: {reason}; rolled back to the last healthy checkpoint, step {good.Step}, learning rate x{session.LearningRateScale} (rollback {rollbacks} of {o.Schedule.MaxRollbacks})");
    }
}
