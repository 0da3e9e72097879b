using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// RMSProp as torch.optim.RMSprop without momentum (Arjovsky et al. 2017 chose it for WGAN because momentum-based
/// methods made the critic unstable): v ← αv + (1 − α)g², θ ← θ − lr·g / (√v + ε).
/// </summary>
public sealed class RmsPropOptimizer(IEnumerable<Parameter> parameters, double learningRate, double alpha = 0.99, double epsilon = 1e-8)
    : StatefulOptimizer(parameters, learningRate, "v")
{
    public double Alpha { get; } = alpha;

    public double Epsilon { get; } = epsilon;

    protected override void Update(Parameter parameter, Tensor grad, int index)
    {
        var v = State(0, index);
        v.mul_(Alpha).addcmul_(grad, grad, value: 1 - Alpha);
        parameter.addcdiv_(grad, v.sqrt().add_(Epsilon), value: -LearningRate);
    }
}
