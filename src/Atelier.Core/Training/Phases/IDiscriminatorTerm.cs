using static TorchSharp.torch;

namespace Atelier.Training.Phases;

/// <summary>A technique that adds a term to the discriminator's loss and may act on its weights after the update.</summary>
public interface IDiscriminatorTerm
{
    /// <summary><see cref="TrainingPhase.DiscriminatorMain"/> or <see cref="TrainingPhase.DiscriminatorRegularization"/>.</summary>
    TrainingPhase Phase { get; }

    /// <summary>The term for this pass, or null when it adds nothing to this pass (a lazy regulariser's off passes, a pure constraint).</summary>
    Tensor? Loss(DiscriminatorPass pass);

    /// <summary>Runs after the discriminator's optimiser step.</summary>
    void AfterUpdate() { }
}
