using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>The founding text's pair: dense layers into a small convolutional generator, and its mirror, at 28x28.</summary>
public sealed class ClassicFamily : IModelFamily
{
    public string Name => "classic";

    public string Description => "the founding text's dense-then-convolutional pair, 28x28";

    public IReadOnlyList<int> Resolutions { get; } = [28];

    public void Validate(ModelOptions options)
    {
        if (options.Classes > 0) throw new OptionException("--conditional: only the dcgan model is class-conditional.");
    }

    public nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options) => new ClassicGenerator(options);

    public nn.Module<Tensor, Tensor> CreateDiscriminator(ModelOptions options) => new ClassicDiscriminator(options);
}
