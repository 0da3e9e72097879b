using Atelier.Runs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// The bookkeeping every optimizer here shares: parameters, one or more named per-parameter state tensors and a
/// step count, saved and restored by name so that checkpoints resume bit for bit.
/// </summary>
public abstract class StatefulOptimizer : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly (string Name, Tensor[] Values)[] _state;

    protected StatefulOptimizer(IEnumerable<Parameter> parameters, double learningRate, params string[] stateNames)
    {
        _parameters = parameters.ToArray();
        _state = stateNames.Select(n => (n, _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray())).ToArray();
        LearningRate = learningRate;
    }

    public double LearningRate { get; set; }

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
            if (_parameters[i].grad is { } grad) Update(_parameters[i], grad, i);
        }
    }

    /// <summary>Applies one update to parameter <paramref name="index"/> (state tensors via <see cref="State"/>).</summary>
    protected abstract void Update(Parameter parameter, Tensor grad, int index);

    /// <summary>The state tensor of the given kind (0 = first declared) for a parameter.</summary>
    protected Tensor State(int kind, int index) => _state[kind].Values[index];

    /// <summary>State tensors by name ("m.3", "v.3", ...) plus the step, for checkpoints.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["step"] = tensor(Step) };
        foreach (var (name, values) in _state)
            for (int i = 0; i < values.Length; i++) state[$"{name}.{i}"] = values[i];
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string prefix = "")
    {
        using var noGrad = no_grad();
        Step = state[prefix + "step"].item<long>();
        foreach (var (name, values) in _state)
            for (int i = 0; i < values.Length; i++)
            {
                var saved = state[$"{prefix}{name}.{i}"];
                if (!saved.shape.SequenceEqual(values[i].shape))
                    throw new CorruptCheckpointException($"optimizer state {prefix}{name}.{i} has shape [{string.Join(",", saved.shape)}], the model needs [{string.Join(",", values[i].shape)}]");
                values[i].copy_(saved);
            }
    }

    public void Dispose()
    {
        foreach (var (_, values) in _state)
            foreach (var t in values) t.Dispose();
        GC.SuppressFinalize(this);
    }
}
