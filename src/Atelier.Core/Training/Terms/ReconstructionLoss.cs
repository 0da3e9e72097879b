using Atelier.Models.Pretrained;
using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>
/// The self-supervised discriminator's reconstruction loss (Liu 2021): for each of its decoders the batch's mean
/// <see cref="PerceptualDistance"/> between what it rebuilt from the real images (as the discriminator saw them, augmented)
/// and those images, summed over the decoders, in the discriminator's loss. FastGAN sums LPIPS over a batch of 8; the
/// mean keeps the weight independent of the batch size.
/// </summary>
public sealed class ReconstructionLoss(PerceptualDistance distance) : IDiscriminatorTerm
{
    public TrainingPhase Phase => TrainingPhase.DiscriminatorMain;

    public Tensor? Loss(DiscriminatorPass pass)
    {
        if (pass.Reconstructions is not { } pairs) return null;
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var (output, target) in pairs)
        {
            var d = distance.Distance(output, target).mean();
            total = total is null ? d : total + d;
        }
        return total?.MoveToOuterDisposeScope();
    }
}
