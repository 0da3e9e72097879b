using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// Salimans et al. 2016, §3.3: a penalty ‖θ − (1/t)Σᵢ θ[i]‖² that pulls parameters toward the average of their
/// past values (inspired by fictitious play). The average includes the initial parameters.
/// </summary>
public sealed class HistoricalAverage : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _average;

    public HistoricalAverage(IEnumerable<Parameter> parameters)
    {
        _parameters = parameters.ToArray();
        _average = _parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        Count = 1;
    }

    /// <summary>How many parameter values the average holds.</summary>
    public long Count { get; private set; }

    /// <summary>Σ over all parameters of ‖θ − θ̄‖².</summary>
    public Tensor Penalty()
    {
        Tensor? total = null;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var term = (_parameters[i] - _average[i]).square().sum();
            total = total is null ? term : total + term;
        }
        return total ?? tensor(0f);
    }

    /// <summary>Adds the current parameters to the average: θ̄ ← θ̄ + (θ − θ̄)/(t + 1).</summary>
    public void Update()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Count++;
        for (int i = 0; i < _parameters.Length; i++) _average[i].add_((_parameters[i] - _average[i]).div_(Count));
    }

    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["count"] = tensor(Count) };
        for (int i = 0; i < _average.Length; i++) state[$"average.{i}"] = _average[i];
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string prefix)
    {
        using var noGrad = no_grad();
        Count = state[prefix + "count"].item<long>();
        for (int i = 0; i < _average.Length; i++) _average[i].copy_(state[$"{prefix}average.{i}"]);
    }

    public void Dispose()
    {
        foreach (var t in _average) t.Dispose();
    }
}
