using Atelier.Platform;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Atelier.Training;

/// <summary>
/// Differentiable augmentation (Zhao 2020, DiffAugment) for images in [−1, 1], applied to real and generated images
/// alike before the discriminator so gradients reach the generator through it: colour (brightness ±0.5,
/// saturation ×[0, 2], contrast ×[0.5, 1.5]), translation (up to 1/8 of the side, zero fill) and cutout (a
/// square of half the side set to 0). Each operation is applied to each image with probability p (1 in plain
/// DiffAugment; adapted during training in the ADA mode). Every random number is a function of (seed, counter).
/// </summary>
public static class DiffAugment
{
    public static IReadOnlyList<string> Operations { get; } = ["color", "translation", "cutout"];

    /// <summary>Parses --augment-ops "color,translation,cutout".</summary>
    public static IReadOnlyList<string> ParseOperations(string text) => NameList.Parse(text, Operations, "--augment-ops");

    /// <param name="images">[B, C, H, W] in [−1, 1].</param>
    /// <param name="probability">Chance that each operation is applied to each image; 0 returns the input unchanged.</param>
    public static Tensor Apply(Tensor images, IReadOnlyList<string> operations, double probability, long seed, long counter)
    {
        if (probability <= 0 || operations.Count == 0) return images;
        var rng = SplitMix64.For(seed, "diffaugment", counter);
        long b = images.shape[0], h = images.shape[2], w = images.shape[3];
        var device = images.device;
        Tensor Uniform() => tensor(Enumerable.Range(0, (int)b).Select(_ => (float)rng.NextDouble()).ToArray()).view(b, 1, 1, 1).to(device);
        Tensor Applied() => tensor(Enumerable.Range(0, (int)b).Select(_ => rng.NextDouble() < probability ? 1f : 0f).ToArray()).view(b, 1, 1, 1).to(device);
        var x = images;
        foreach (var op in operations)
        {
            switch (op)
            {
                case "color":
                    x = Blend(x, x + (Uniform() - 0.5), Applied()); // brightness
                    if (x.shape[1] > 1)
                    {
                        var mean = x.mean([1], keepdim: true);
                        x = Blend(x, (x - mean) * (Uniform() * 2) + mean, Applied()); // saturation
                    }
                    var all = x.mean([1, 2, 3], keepdim: true);
                    x = Blend(x, (x - all) * (Uniform() + 0.5) + all, Applied()); // contrast
                    break;
                case "translation":
                    x = Translate(x, (int)(h * 0.125 + 0.5), (int)(w * 0.125 + 0.5), rng, probability);
                    break;
                case "cutout":
                    x = x * CutoutMask(b, h, w, rng, probability).to(device);
                    break;
            }
        }
        return x;
    }

    private static Tensor Blend(Tensor original, Tensor augmented, Tensor applied) => original + applied * (augmented - original);

    /// <summary>Shifts each image by whole pixels in [−shift, shift], filling with 0; gradients flow to the kept pixels.</summary>
    private static Tensor Translate(Tensor x, int shiftY, int shiftX, SplitMix64 rng, double probability)
    {
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        var padded = F.pad(x, [shiftX, shiftX, shiftY, shiftY]);
        var rows = new Tensor[b];
        for (int i = 0; i < b; i++)
        {
            bool apply = rng.NextDouble() < probability;
            int ty = rng.Next(-shiftY, shiftY + 1), tx = rng.Next(-shiftX, shiftX + 1);
            if (!apply) (ty, tx) = (0, 0);
            rows[i] = padded[i].narrow(1, shiftY - ty, h).narrow(2, shiftX - tx, w);
        }
        return stack(rows);
    }

    /// <summary>[B, 1, H, W] of 1 with a zeroed square of half the side per applied image.</summary>
    private static Tensor CutoutMask(long b, long h, long w, SplitMix64 rng, double probability)
    {
        int sizeY = (int)(h * 0.5 + 0.5), sizeX = (int)(w * 0.5 + 0.5);
        var mask = new float[b * h * w];
        Array.Fill(mask, 1f);
        for (int i = 0; i < b; i++)
        {
            bool apply = rng.NextDouble() < probability;
            int cy = rng.Next(0, (int)h + (1 - sizeY % 2)), cx = rng.Next(0, (int)w + (1 - sizeX % 2));
            if (!apply) continue;
            for (long y = Math.Max(0, cy - sizeY / 2); y < Math.Min(h, cy - sizeY / 2 + sizeY); y++)
                for (long x = Math.Max(0, cx - sizeX / 2); x < Math.Min(w, cx - sizeX / 2 + sizeX); x++)
                    mask[i * h * w + y * w + x] = 0;
        }
        return tensor(mask, new long[] { b, 1, h, w });
    }
}

