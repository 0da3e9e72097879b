namespace Atelier.Training;

/// <summary>
/// What one step reports: the last discriminator pass's loss and mean σ(logits), the generator's loss, and whether the
/// discriminator won that pass outright in its game's terms (<see cref="Objectives.IGanObjective.DiscriminatorWins"/>).
/// </summary>
public readonly record struct StepStats(double LossD, double LossG, double RealScore, double FakeScore, bool DiscriminatorWon = false);
