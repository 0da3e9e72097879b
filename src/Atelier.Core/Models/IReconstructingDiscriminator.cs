using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>
/// A discriminator that is also trained as an autoencoder on real images (Liu 2021's self-supervised discriminator):
/// small decoders rebuild the images from its features, so it must learn features that describe them.
/// </summary>
public interface IReconstructingDiscriminator
{
    /// <summary>How many parts an image is cut into for the crop decoder (its quadrants).</summary>
    const int Parts = 4;

    /// <summary>
    /// [B] logits as <c>forward</c> gives them, and the decoders' reconstructions, each beside the image it should
    /// equal (both [B, C, S, S] in −1..1): the whole image, the small path's image and part <paramref name="part"/>
    /// (0 top left, 1 top right, 2 bottom left, 3 bottom right).
    /// </summary>
    (Tensor Logits, IReadOnlyList<(Tensor Output, Tensor Target)> Reconstructions) ForwardReconstructing(Tensor images, int part);
}
