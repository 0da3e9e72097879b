using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// Letterboxed data: each generated image takes the padding of the real image it is paired with, so the
/// discriminator sees identical padding on both sides and can neither reward nor penalise it, and no gradient
/// reaches the generator through padding pixels. Only the picture area is learned.
/// </summary>
public static class LetterboxMask
{
    /// <param name="fake">[B, C, H, W] generated images.</param>
    /// <param name="real">[B, C, H, W] real images whose padding is copied.</param>
    /// <param name="mask">[B, 1, H, W], 1 on the picture, 0 on padding.</param>
    public static Tensor Composite(Tensor fake, Tensor real, Tensor mask) => fake * mask + real.detach() * (1 - mask);
}
