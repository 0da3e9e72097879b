using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015), the same update as torch.optim.Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// θ ← θ − lr·(m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
public sealed class AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon = 1e-8)
    : StatefulOptimizer(parameters, learningRate, "m", "v")
{
    public double Beta1 { get; } = beta1;

    public double Beta2 { get; } = beta2;

    public double Epsilon { get; } = epsilon;

    protected override void Update(Parameter parameter, Tensor grad, int index)
    {
        var m = State(0, index);
        var v = State(1, index);
        double correction1 = 1 - Math.Pow(Beta1, Step);
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, Step));
        m.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
        v.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
        var denominator = v.sqrt().div_(correction2Sqrt).add_(Epsilon);
        parameter.addcdiv_(m, denominator, value: -LearningRate / correction1);
    }
}
