using Atelier.Sampling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// Recomputes a generator's batch-norm running statistics as exact averages over fixed noise batches, so that
/// eval-mode generation (one image per seed, independent of its batch) matches the weights it is used with.
/// </summary>
public static class BatchNormCalibration
{
    public const int Batches = 8;
    public const int BatchSize = 64;
    private const long CalibrationSeedBase = 1L << 40;

    public static void Calibrate(nn.Module<Tensor, Tensor> generator, int latentSize, Device device)
    {
        var norms = generator.modules().OfType<NormBase>().ToList();
        if (norms.Count == 0) return;
        using var noGrad = no_grad();
        var momenta = norms.Select(n => n.momentum).ToList();
        foreach (var n in norms) n.reset_running_stats();
        generator.train();
        // Only the statistics change: a spectrally normalised layer keeps its power-iteration vector where training left
        // it (in training mode every forward would advance it, and a checkpoint written mid-run would then alter the run).
        foreach (var spectral in generator.modules().OfType<Models.SpectralLayer>()) spectral.eval();
        for (int b = 0; b < Batches; b++)
        {
            // Momentum 1/(b+1) makes the running statistics the exact mean over the batches seen so far.
            foreach (var n in norms) n.momentum = 1.0 / (b + 1);
            using var scope = NewDisposeScope();
            var seeds = Enumerable.Range(0, BatchSize).Select(i => CalibrationSeedBase + b * BatchSize + i).ToList();
            generator.forward(Latents.ForGenerator(generator, Latents.ForSeeds(seeds, latentSize, device), seeds));
        }
        for (int i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
        generator.eval();
    }
}
