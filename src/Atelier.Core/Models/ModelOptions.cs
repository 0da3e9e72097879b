using Atelier.Platform;
namespace Atelier.Models;

/// <summary>The architecture of a generator/discriminator pair; saved with every checkpoint.</summary>
/// <param name="Architecture">"dcgan" (Radford 2015) or "classic" (the founding text's dense-then-convolutional 28×28 pair).</param>
/// <param name="Resolution">Square image side: 28, 32, 64 or 128 (classic: 28).</param>
/// <param name="Channels">1 (grayscale) or 3 (RGB).</param>
/// <param name="LatentSize">Length of the noise vector z (Radford 2015 uses 100).</param>
/// <param name="GeneratorWidth">Feature maps of the generator's last hidden layer (ngf); earlier layers double it.</param>
/// <param name="DiscriminatorWidth">Feature maps of the discriminator's first layer (ndf); later layers double it.</param>
/// <param name="DiscriminatorNormalization">Batch norm (Radford 2015), layer norm (Gulrajani 2017's choice for a penalised critic) or none.</param>
/// <param name="MinibatchKernels">Salimans 2016 minibatch discrimination: B kernels (0 = off).</param>
/// <param name="MinibatchKernelSize">Salimans 2016 minibatch discrimination: C, the size of each kernel.</param>
/// <param name="VirtualBatchNorm">Salimans 2016 virtual batch normalisation in the generator instead of batch norm.</param>
/// <param name="ReferenceBatchSize">Size of the fixed reference batch of virtual batch normalisation.</param>
/// <param name="SpectralNorm">Miyato 2018 spectral normalisation of every discriminator weight.</param>
/// <param name="Classes">Class-conditional model: the generator multiplies z by a learned label embedding and the
/// discriminator is a projection discriminator (Miyato 2018) with this many classes (0 = unconditional).</param>
/// <param name="ClassHead">The discriminator also classifies real images into this many classes (the Creative
/// Adversarial Network's style head; 0 = none).</param>
/// <param name="Discriminator">The family's pixel discriminator, or Sauer 2021's projected one (--discriminator).
/// Written to JSON only when not the default, so runs and images made before it existed keep their JSON.</param>
/// <param name="ProjectedUpsample">Projected discriminator: upsample images 2× (bilinear) before the feature network
/// (finer feature maps, four times the cost); written only when set.</param>
public sealed record ModelOptions(
    string Architecture = "dcgan",
    int Resolution = 64,
    int Channels = 3,
    int LatentSize = 100,
    int GeneratorWidth = 64,
    int DiscriminatorWidth = 64,
    Normalization DiscriminatorNormalization = Normalization.Batch,
    int MinibatchKernels = 0,
    int MinibatchKernelSize = 5,
    bool VirtualBatchNorm = false,
    int ReferenceBatchSize = 64,
    bool SpectralNorm = false,
    int Classes = 0,
    int ClassHead = 0,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    DiscriminatorKind Discriminator = DiscriminatorKind.Pixel,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    bool ProjectedUpsample = false)
{
    /// <summary>The registered model families' names (<see cref="ModelFamilies"/>).</summary>
    public static IReadOnlyList<string> Architectures => ModelFamilies.Names;

    /// <summary>The resolutions the dcgan family builds.</summary>
    public static IReadOnlyList<int> DcganResolutions => ModelFamilies.Find("dcgan").Resolutions;

    /// <summary>The family this architecture names (not serialised: options.json names it by Architecture).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IModelFamily Family => ModelFamilies.Find(Architecture);

    /// <summary>Throws with the CLI flag named when an option is out of range.</summary>
    public void Validate()
    {
        var family = Family;
        if (family.Resolutions.Count == 1 && Resolution != family.Resolutions[0])
            throw new OptionException($"--resolution: the {Architecture} model is {family.Resolutions[0]}x{family.Resolutions[0]} only (got {Resolution}); use --model dcgan for {Resolution}.");
        if (!family.Resolutions.Contains(Resolution))
            throw new OptionException($"--resolution: {Resolution} is not supported by {Architecture}; choose one of {string.Join(", ", family.Resolutions)}.");
        if (Channels is not (1 or 3)) throw new OptionException($"--channels: {Channels} is not 1 or 3.");
        if (LatentSize is < 1 or > 4096) throw new OptionException($"--latent-size: {LatentSize} is outside 1..4096.");
        if (GeneratorWidth is < 1 or > 1024) throw new OptionException($"--generator-width: {GeneratorWidth} is outside 1..1024.");
        if (DiscriminatorWidth is < 1 or > 1024) throw new OptionException($"--discriminator-width: {DiscriminatorWidth} is outside 1..1024.");
        if (!Enum.IsDefined(DiscriminatorNormalization)) throw new OptionException($"--critic-norm: {(int)DiscriminatorNormalization} is not a normalisation.");
        if (MinibatchKernels is < 0 or > 1000) throw new OptionException($"--minibatch-kernels: {MinibatchKernels} is outside 0..1000.");
        if (MinibatchKernelSize is < 1 or > 100) throw new OptionException($"--minibatch-kernel-size: {MinibatchKernelSize} is outside 1..100.");
        if (Classes is < 0 or 1 or > 10_000) throw new OptionException($"--conditional: {Classes} classes; a conditional model needs 2..10000.");
        if (ClassHead is < 0 or 1 or > 10_000) throw new OptionException($"--can: {ClassHead} classes; the style head needs 2..10000.");
        family.Validate(this);
        if (Classes > 0 && VirtualBatchNorm) throw new OptionException("--conditional with --virtual-batchnorm is not supported: the reference batch has no labels.");
        if (Classes > 0 && ClassHead > 0)
            throw new OptionException("--can with --conditional: the style-ambiguity loss pushes images away from every class, which contradicts asking for one; use one or the other.");
        if (ReferenceBatchSize is < 2 or > 1024) throw new OptionException($"--reference-batch-size: {ReferenceBatchSize} is outside 2..1024.");
        if (!Enum.IsDefined(Discriminator)) throw new OptionException($"--discriminator: {(int)Discriminator} is not a discriminator.");
        if (ProjectsFeatures)
        {
            var name = Platform.EnumText.Name(Discriminator);
            if (Resolution < 32) throw new OptionException($"--discriminator {name}: {Resolution}x{Resolution} is too small for the ResNet18 feature network (its last map would be under 1x1); use --resolution 32 or more.");
            if (Classes > 0 || ClassHead > 0) throw new OptionException($"--discriminator {name}: conditional and CAN heads are not built for it yet; use --discriminator pixel.");
            if (MinibatchKernels > 0) throw new OptionException("--minibatch-discrimination: it is a layer of the pixel discriminator; use --discriminator pixel.");
        }
        else if (ProjectedUpsample) throw new OptionException("--projected-upsample: it applies to --discriminator projected or ensemble only.");
        if (Discriminator == DiscriminatorKind.SelfSupervised)
        {
            if (Resolution < 32) throw new OptionException($"--discriminator self-supervised: {Resolution}x{Resolution} is too small (its crop decoder needs a 16x16 map); use --resolution 32 or more.");
            if (Classes > 0 || ClassHead > 0) throw new OptionException("--discriminator self-supervised: conditional and CAN heads are not built for it yet; use --discriminator pixel.");
            if (MinibatchKernels > 0) throw new OptionException("--minibatch-discrimination: it is a layer of the pixel discriminator; use --discriminator pixel.");
        }
    }

    /// <summary>True when the discriminator looks through the frozen feature network (projected or ensemble).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ProjectsFeatures => Discriminator is DiscriminatorKind.Projected or DiscriminatorKind.Ensemble;

    /// <summary>DCGAN's plan: the first feature map side and how many ×2 upsamplings reach the resolution.</summary>
    internal (int Start, int Doublings) DcganPlan() => Resolution switch
    {
        28 => (7, 2),
        32 => (4, 3),
        64 => (4, 4),
        128 => (4, 5),
        _ => throw new OptionException($"--resolution: {Resolution} is not supported by dcgan"),
    };
}
