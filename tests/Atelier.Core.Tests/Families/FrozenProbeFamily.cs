using Atelier.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Core.Tests.Families;

/// <summary>
/// A family that exists only in the tests, to prove the seam: DCGAN's generator against a discriminator that reads a
/// frozen random convolution (with a batch norm, whose statistics move if anything puts it in training mode) through a
/// small trainable head. Registered at run time; no file of Core knows it.
/// </summary>
internal sealed class FrozenProbeFamily : IModelFamily
{
    public const string FamilyName = "frozen-probe";

    public string Name => FamilyName;

    public string Description => "test only: a trainable head on a frozen random convolution";

    public IReadOnlyList<int> Resolutions { get; } = [32];

    public nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options) => new DcganGenerator(options);

    public nn.Module<Tensor, Tensor> CreateDiscriminator(ModelOptions options) => new ProbeDiscriminator(options.Channels);

    /// <summary>The frozen part: weights from a fixed seed of its own, the same in every process.</summary>
    internal static FrozenModule RandomFeatures(int channels)
    {
        using var generator = new Generator(7);
        var conv = Conv2d(channels, 8, 4, stride: 4);
        using (no_grad())
        {
            conv.weight!.normal_(0, 0.5, generator);
            conv.bias!.uniform_(-0.1, 0.1, generator);
        }
        return new FrozenModule("random-conv-seed-7", Sequential(("conv", conv), ("norm", BatchNorm2d(8)), ("act", LeakyReLU(0.2))));
    }

    internal sealed class ProbeDiscriminator : Module<Tensor, Tensor>
    {
        private readonly FrozenModule features;
        private readonly Module<Tensor, Tensor> head;

        public ProbeDiscriminator(int channels) : base(nameof(ProbeDiscriminator))
        {
            features = RandomFeatures(channels);
            head = Sequential(("mix", Conv2d(8, 4, 1)), ("act", LeakyReLU(0.2)), ("flatten", Flatten()), ("out", Linear(4 * 8 * 8, 1)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor images) => head.forward(features.forward(images)).view(-1);
    }
}
