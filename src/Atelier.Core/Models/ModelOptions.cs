namespace Atelier.Models;

/// <summary>The architecture of a generator/discriminator pair; saved with every checkpoint.</summary>
/// <param name="Architecture">"dcgan" (Radford 2015) or "classic" (the founding text's dense-then-convolutional 28×28 pair).</param>
/// <param name="Resolution">Square image side: 28, 32, 64 or 128 (classic: 28).</param>
/// <param name="Channels">1 (grayscale) or 3 (RGB).</param>
/// <param name="LatentSize">Length of the noise vector z (Radford 2015 uses 100).</param>
/// <param name="GeneratorWidth">Feature maps of the generator's last hidden layer (ngf); earlier layers double it.</param>
/// <param name="DiscriminatorWidth">Feature maps of the discriminator's first layer (ndf); later layers double it.</param>
/// <param name="DiscriminatorNormalization">"batch" (Radford 2015), "layer" (Gulrajani 2017's choice for a penalised critic) or "none".</param>
/// <param name="MinibatchKernels">Salimans 2016 minibatch discrimination: B kernels (0 = off).</param>
/// <param name="MinibatchKernelSize">Salimans 2016 minibatch discrimination: C, the size of each kernel.</param>
/// <param name="VirtualBatchNorm">Salimans 2016 virtual batch normalisation in the generator instead of batch norm.</param>
/// <param name="ReferenceBatchSize">Size of the fixed reference batch of virtual batch normalisation.</param>
/// <param name="SpectralNorm">Miyato 2018 spectral normalisation of every discriminator weight.</param>
public sealed record ModelOptions(
    string Architecture = "dcgan",
    int Resolution = 64,
    int Channels = 3,
    int LatentSize = 100,
    int GeneratorWidth = 64,
    int DiscriminatorWidth = 64,
    string DiscriminatorNormalization = "batch",
    int MinibatchKernels = 0,
    int MinibatchKernelSize = 5,
    bool VirtualBatchNorm = false,
    int ReferenceBatchSize = 64,
    bool SpectralNorm = false)
{
    public static IReadOnlyList<string> Architectures { get; } = ["dcgan", "classic"];

    public static IReadOnlyList<int> DcganResolutions { get; } = [28, 32, 64, 128];

    public static IReadOnlyList<string> Normalizations { get; } = ["batch", "layer", "none"];

    /// <summary>Throws with the CLI flag named when an option is out of range.</summary>
    public void Validate()
    {
        if (!Architectures.Contains(Architecture))
            throw new ArgumentException($"--model: unknown model '{Architecture}'; choose one of {string.Join(", ", Architectures)}.");
        if (Architecture == "classic" && Resolution != 28)
            throw new ArgumentException($"--resolution: the classic model is 28x28 only (got {Resolution}); use --model dcgan for {Resolution}.");
        if (Architecture == "dcgan" && !DcganResolutions.Contains(Resolution))
            throw new ArgumentException($"--resolution: {Resolution} is not supported by dcgan; choose one of {string.Join(", ", DcganResolutions)}.");
        if (Channels is not (1 or 3)) throw new ArgumentException($"--channels: {Channels} is not 1 or 3.");
        if (LatentSize is < 1 or > 4096) throw new ArgumentException($"--latent-size: {LatentSize} is outside 1..4096.");
        if (GeneratorWidth is < 1 or > 1024) throw new ArgumentException($"--generator-width: {GeneratorWidth} is outside 1..1024.");
        if (DiscriminatorWidth is < 1 or > 1024) throw new ArgumentException($"--discriminator-width: {DiscriminatorWidth} is outside 1..1024.");
        if (!Normalizations.Contains(DiscriminatorNormalization))
            throw new ArgumentException($"--critic-norm: unknown normalisation '{DiscriminatorNormalization}'; choose one of {string.Join(", ", Normalizations)}.");
        if (MinibatchKernels is < 0 or > 1000) throw new ArgumentException($"--minibatch-kernels: {MinibatchKernels} is outside 0..1000.");
        if (MinibatchKernelSize is < 1 or > 100) throw new ArgumentException($"--minibatch-kernel-size: {MinibatchKernelSize} is outside 1..100.");
        if (ReferenceBatchSize is < 2 or > 1024) throw new ArgumentException($"--reference-batch-size: {ReferenceBatchSize} is outside 2..1024.");
    }

    /// <summary>DCGAN's plan: the first feature map side and how many ×2 upsamplings reach the resolution.</summary>
    internal (int Start, int Doublings) DcganPlan() => Resolution switch
    {
        28 => (7, 2),
        32 => (4, 3),
        64 => (4, 4),
        128 => (4, 5),
        _ => throw new ArgumentException($"--resolution: {Resolution} is not supported by dcgan"),
    };
}
