using static TorchSharp.torch;

namespace Atelier.Training.Phases;

/// <summary>The generator's main loss (<see cref="TrainingPhase.GeneratorMain"/>).</summary>
public interface IGeneratorLoss
{
    Tensor Loss(GeneratorPass pass);
}
