using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>A first-order optimizer whose whole state can be saved and restored for exact resume.</summary>
public interface IOptimizer : IDisposable
{
    double LearningRate { get; set; }

#pragma warning disable CA1716 // "Step" is a Visual Basic keyword; this library is C#, and the optimiser step is its name
    long Step { get; }
#pragma warning restore CA1716

    void ZeroGrad();

    void StepUpdate();

    Dictionary<string, Tensor> StateDict();

    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string prefix = "");
}
