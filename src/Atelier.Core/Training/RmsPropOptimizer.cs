using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// RMSProp as torch.optim.RMSprop without momentum (Arjovsky et al. 2017 chose it for WGAN because momentum-based
/// methods made the critic unstable): v ← αv + (1 − α)g², θ ← θ − lr·g / (√v + ε).
/// </summary>
public sealed class RmsPropOptimizer : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _squareAverage;

    public RmsPropOptimizer(IEnumerable<Parameter> parameters, double learningRate, double alpha = 0.99, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _squareAverage = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        LearningRate = learningRate;
        Alpha = alpha;
        Epsilon = epsilon;
    }

    public double LearningRate { get; set; }

    public double Alpha { get; }

    public double Epsilon { get; }

    public long Step { get; private set; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad = null;
    }

    public void StepUpdate()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Step++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            _squareAverage[i].mul_(Alpha).addcmul_(grad, grad, value: 1 - Alpha);
            _parameters[i].addcdiv_(grad, _squareAverage[i].sqrt().add_(Epsilon), value: -LearningRate);
        }
    }

    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["step"] = tensor(Step) };
        for (int i = 0; i < _parameters.Length; i++) state[$"v.{i}"] = _squareAverage[i];
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string prefix = "")
    {
        using var noGrad = no_grad();
        Step = state[prefix + "step"].item<long>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var v = state[$"{prefix}v.{i}"];
            if (!v.shape.SequenceEqual(_squareAverage[i].shape))
                throw new InvalidDataException($"optimizer state {prefix}v.{i} has shape [{string.Join(",", v.shape)}], the model needs [{string.Join(",", _squareAverage[i].shape)}]");
            _squareAverage[i].copy_(v);
        }
    }

    public void Dispose()
    {
        foreach (var t in _squareAverage) t.Dispose();
    }
}
