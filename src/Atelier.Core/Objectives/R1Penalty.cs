using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// R1 (Mescheder 2018): (γ/2)·E‖∇_x D(x)‖² on real images, which keeps the discriminator flat around the data.
/// The gradient is taken with create_graph so the penalty's own gradient reaches D's weights. Used lazily (every k
/// discriminator steps, scaled by k) as in StyleGAN2.
/// </summary>
public static class R1Penalty
{
    /// <returns>E‖∇_x D(x)‖² (without γ/2).</returns>
    public static Tensor Compute(Func<Tensor, Tensor> discriminator, Tensor real)
    {
        var x = real.detach().requires_grad_(true);
        var scores = discriminator(x);
        var gradient = autograd.grad([scores.sum()], [x], retain_graph: true, create_graph: true)[0];
        return gradient.flatten(1).square().sum(1).mean();
    }
}
