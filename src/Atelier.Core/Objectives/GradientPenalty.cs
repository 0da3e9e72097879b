using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// Gulrajani et al. 2017, Alg. 1: E[(‖∇_x̂ D(x̂)‖₂ − 1)²] at x̂ = εx + (1 − ε)x̃, ε ~ U[0, 1] per sample. The
/// gradient is taken with create_graph so that the penalty itself can be differentiated (double backward)
/// and its gradient reaches the critic's weights.
/// </summary>
public static class GradientPenalty
{
    /// <param name="critic">The critic.</param>
    /// <param name="real">[B, C, H, W] real images.</param>
    /// <param name="fake">[B, C, H, W] generated images (detached).</param>
    /// <param name="epsilon">[B] interpolation weights in [0, 1].</param>
    public static Tensor Compute(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Tensor epsilon)
    {
        var e = epsilon.view(-1, 1, 1, 1);
        var mixed = (e * real + (1 - e) * fake).detach().requires_grad_(true);
        var scores = critic(mixed);
        var gradient = autograd.grad([scores.sum()], [mixed], retain_graph: true, create_graph: true)[0];
        var norms = gradient.flatten(1).square().sum(1).add(1e-12).sqrt();
        return (norms - 1).square().mean();
    }
}
