using static TorchSharp.torch;

namespace Atelier.Sampling;

/// <summary>Runs a generator in eval mode on seed latents, in chunks, and returns CHW pixels in [-1, 1].</summary>
public static class ImageSynthesis
{
    public const int ChunkSize = 64;

    /// <param name="label">For a conditional generator: the class of every image (default: seed mod classes).</param>
    public static float[] Generate(nn.Module<Tensor, Tensor> generator, IReadOnlyList<long> seeds, int latentSize, Device device, int? label = null)
    {
        using var scope = NewDisposeScope();
        var latents = Latents.ForGenerator(generator, Latents.ForSeeds(seeds, latentSize, device), seeds, label);
        return FromLatents(generator, latents);
    }

    /// <summary>Images for latents [N, LatentSize].</summary>
    public static float[] FromLatents(nn.Module<Tensor, Tensor> generator, Tensor latents)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = generator.training;
        generator.eval();
        var chunks = new List<float[]>();
        long n = latents.shape[0];
        for (long start = 0; start < n; start += ChunkSize)
        {
            using var inner = NewDisposeScope();
            var images = generator.forward(latents.narrow(0, start, Math.Min(ChunkSize, n - start)));
            chunks.Add(images.cpu().contiguous().data<float>().ToArray());
        }
        if (wasTraining) generator.train();
        return chunks.SelectMany(c => c).ToArray();
    }
}
