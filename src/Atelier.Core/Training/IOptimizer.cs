using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>A first-order optimizer whose whole state can be saved and restored for exact resume.</summary>
public interface IOptimizer : IDisposable
{
    double LearningRate { get; set; }

    long Step { get; }

    void ZeroGrad();

    void StepUpdate();

    Dictionary<string, Tensor> StateDict();

    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string prefix = "");
}
