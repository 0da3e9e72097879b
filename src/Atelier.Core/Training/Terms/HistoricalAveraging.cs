using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>Salimans 2016 §3.3: weight·‖θ − θ̄‖² in one network's loss; θ̄ takes in the new weights after each update.</summary>
public sealed class HistoricalAveraging(double weight, HistoricalAverage history) : IDiscriminatorTerm, IGeneratorTerm
{
    public TrainingPhase Phase => TrainingPhase.DiscriminatorRegularization;

    public Tensor? Loss(DiscriminatorPass pass) => weight * history.Penalty();

    public Tensor? Loss(GeneratorPass pass) => weight * history.Penalty();

    public void AfterUpdate() => history.Update();
}
