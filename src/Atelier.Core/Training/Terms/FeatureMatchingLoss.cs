using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>
/// Salimans 2016 §3.1, in place of the adversarial loss: ‖E f(x) − E f(G(z))‖², f = the discriminator's last hidden
/// layer. The real side is a constant (no gradient), computed first.
/// </summary>
public sealed class FeatureMatchingLoss : IGeneratorLoss
{
    public Tensor Loss(GeneratorPass pass)
    {
        Tensor realFeatures;
        using (no_grad())
        {
            realFeatures = Features(pass.Discriminator.WithFeatures(pass.RealSeen()).Features).mean([0]);
        }
        var fakeFeatures = Features(pass.FakeOutput.Features).mean([0]);
        return (realFeatures - fakeFeatures).square().sum();
    }

    private static Tensor Features(Tensor? features) =>
        features ?? throw new InvalidOperationException("feature matching needs a discriminator that exposes its last hidden layer.");
}
