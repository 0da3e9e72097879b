using static TorchSharp.torch;

namespace Atelier.Training.Phases;

/// <summary>A technique that adds a term to the generator's loss (<see cref="TrainingPhase.GeneratorRegularization"/>).</summary>
public interface IGeneratorTerm
{
    Tensor? Loss(GeneratorPass pass);

    /// <summary>Runs after the generator's optimiser step.</summary>
    void AfterUpdate() { }
}
