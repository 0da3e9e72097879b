using Atelier.Models.Pretrained;
using Atelier.Platform;
using Atelier.Sampling;
using static TorchSharp.torch;

namespace Atelier.Projection;

/// <summary>One projected latent and how well it fits.</summary>
/// <param name="Latent">z, LatentSize values.</param>
/// <param name="Loss">The loss at z (without noise), prior included.</param>
/// <param name="Restart">Which start it came from: 0 is the encoder's guess in hybrid mode.</param>
public sealed record ProjectedLatent(float[] Latent, double Loss, int Restart);

/// <summary>Where a projection is: Adam steps done of all it will do, and the least loss of any latent so far (with
/// the step's latent noise).</summary>
public readonly record struct ProjectionProgress(int Done, int Total, double BestLoss);

/// <summary>
/// Finds latents whose images are closest to a picture: the encoder's guess (when there is one), then
/// <see cref="ProjectionOptions.Restarts"/> latents optimised side by side with Adam under StyleGAN2's projector
/// schedule (<see cref="ProjectionSchedule"/>), the loss of <see cref="ProjectionLoss"/> plus a prior that keeps
/// |z|²/d near 1. Every random draw is a function of the options' seed, so the same call gives the same latents.
/// </summary>
public sealed class Projector(nn.Module<Tensor, Tensor> generator, int latentSize, ResNet18Network? network)
{
    /// <summary>
    /// Projects <paramref name="target"/> [1, C, R, R] (−1..1), optionally under <paramref name="mask"/> [1, 1, R, R];
    /// returns every restart's latent, best first.
    /// </summary>
    public IReadOnlyList<ProjectedLatent> Project(Tensor target, Tensor? mask, ProjectionOptions options, LatentEncoder? encoder,
        IProgress<ProjectionProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (options.Mode != ProjectionMode.Optimize && encoder is null) throw new ArgumentException($"{options.Mode} projection needs an encoder", nameof(encoder));
        generator.eval();
        var device = target.device;
        var loss = new ProjectionLoss(options.FeatureWeight > 0 ? network : null, target, mask, options);
        using var scope = NewDisposeScope();
        var z = Starts(target, options, encoder, device);
        int steps = options.OptimizationSteps;
        if (steps > 0)
        {
            z.requires_grad_(true);
            var m = zeros_like(z);
            var v = zeros_like(z);
            const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
            double best = double.PositiveInfinity;
            for (int step = 0; step < steps; step++)
            {
                cancel.ThrowIfCancellationRequested();
                using var pause = GcPause.Begin();
                using var stepScope = NewDisposeScope();
                double lr = ProjectionSchedule.LearningRate(options.LearningRate, step, steps);
                double sigma = ProjectionSchedule.Noise(options.NoiseStart, step, steps);
                var noisy = sigma > 0 ? z + Noise(options.Seed, step, z.shape, device) * sigma : z;
                var perLatent = Objective(loss, noisy, options);
                var grad = autograd.grad([perLatent.sum()], [z])[0];
                using (no_grad())
                {
                    m.mul_(beta1).add_(grad, alpha: 1 - beta1);
                    v.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
                    double c1 = 1 - Math.Pow(beta1, step + 1), c2 = 1 - Math.Pow(beta2, step + 1);
                    z.sub_((m / c1) / ((v / c2).sqrt() + eps) * lr);
                }
                best = Math.Min(best, perLatent.min().item<float>());
                progress?.Report(new ProjectionProgress(step + 1, steps, best));
            }
            z = z.detach();
        }
        float[] losses;
        using (GcPause.Begin())
        using (no_grad())
        {
            losses = Objective(loss, z, options).cpu().data<float>().ToArray();
        }
        var rows = z.cpu().contiguous().data<float>().ToArray();
        int d = latentSize;
        return Enumerable.Range(0, losses.Length)
            .Select(i => new ProjectedLatent(rows[(i * d)..((i + 1) * d)], losses[i], i))
            .OrderBy(p => p.Loss).ThenBy(p => p.Restart).ToList();
    }

    /// <summary>[B] image loss plus the prior of latents [B, d].</summary>
    private Tensor Objective(ProjectionLoss loss, Tensor z, ProjectionOptions options)
    {
        using var scope = NewDisposeScope();
        var total = loss.PerImage(generator.forward(z));
        if (options.PriorWeight > 0) total = total + options.PriorWeight * (z.square().mean([1]) - 1).square();
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>The starting latents [Restarts, d]: the encoder's guess and guesses around it, or random draws.</summary>
    private Tensor Starts(Tensor target, ProjectionOptions options, LatentEncoder? encoder, Device device)
    {
        using var scope = NewDisposeScope();
        int restarts = options.Mode == ProjectionMode.Encoder ? 1 : options.Restarts;
        var draws = Latents.ForStream(options.Seed, "projection-start", 0, restarts, latentSize, device);
        if (options.Mode == ProjectionMode.Optimize) return draws.MoveToOuterDisposeScope();
        Tensor guess;
        using (no_grad()) guess = encoder!.forward(target);
        var spread = ones(restarts, 1, device: device) * ProjectionOptions.RestartSpread;
        spread[0] = zeros(1, device: device);
        return (guess.expand(restarts, -1) + draws * spread).detach().MoveToOuterDisposeScope();
    }

    private static Tensor Noise(long seed, int step, long[] shape, Device device) =>
        Latents.ForStream(seed, "projection-noise", step, (int)shape[0], (int)shape[1], device);
}
