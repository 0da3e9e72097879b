using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015), the same update as torch.optim.Adam, with its whole state (step, first and second
/// moments) exposed so that checkpoints resume bit for bit.
/// </summary>
public sealed class AdamOptimizer : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoment;
    private readonly Tensor[] _secondMoment;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _firstMoment = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoment = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public double LearningRate { get; set; }

    public double Beta1 { get; }

    public double Beta2 { get; }

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
        double correction1 = 1 - Math.Pow(Beta1, Step);
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, Step));
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            _firstMoment[i].mul_(Beta1).add_(grad, alpha: 1 - Beta1);
            _secondMoment[i].mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
            var denominator = _secondMoment[i].sqrt().div_(correction2Sqrt).add_(Epsilon);
            _parameters[i].addcdiv_(_firstMoment[i], denominator, value: -LearningRate / correction1);
        }
    }

    /// <summary>State tensors by name (m.i, v.i) plus the step, for checkpoints.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["step"] = tensor(Step) };
        for (int i = 0; i < _parameters.Length; i++)
        {
            state[$"m.{i}"] = _firstMoment[i];
            state[$"v.{i}"] = _secondMoment[i];
        }
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string prefix = "")
    {
        using var noGrad = no_grad();
        Step = state[prefix + "step"].item<long>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var m = state[$"{prefix}m.{i}"];
            var v = state[$"{prefix}v.{i}"];
            if (!m.shape.SequenceEqual(_firstMoment[i].shape))
                throw new InvalidDataException($"optimizer state {prefix}m.{i} has shape [{string.Join(",", m.shape)}], the model needs [{string.Join(",", _firstMoment[i].shape)}]");
            _firstMoment[i].copy_(m);
            _secondMoment[i].copy_(v);
        }
    }

    public void Dispose()
    {
        foreach (var t in _firstMoment.Concat(_secondMoment)) t.Dispose();
    }
}
