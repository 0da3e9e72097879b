namespace Atelier.Training;

/// <summary>
/// Where a forward pass sits in a run: pass <see cref="Index"/> of generator step <see cref="Step"/>. Each step makes
/// <see cref="DiscriminatorSteps"/> discriminator passes (Index 0..k-1) and then one generator pass (Index k).
/// </summary>
public readonly record struct PassPosition(long Step, int Index, int DiscriminatorSteps)
{
    /// <summary>The pass's number in the whole run, counting discriminator and generator passes alike.</summary>
    public long Global => Step * (DiscriminatorSteps + 1) + Index;

    /// <summary>The discriminator update's number in the whole run (the critic step of WGAN's Algorithm 1).</summary>
    public long CriticStep => Step * DiscriminatorSteps + Index;

    public bool IsGeneratorPass => Index == DiscriminatorSteps;

    public static PassPosition Discriminator(long step, int index, int discriminatorSteps) => new(step, index, discriminatorSteps);

    public static PassPosition Generator(long step, int discriminatorSteps) => new(step, discriminatorSteps, discriminatorSteps);
}
