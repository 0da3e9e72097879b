using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>Radford 2015: transposed convolutions up, strided convolutions down, batch norm, no pooling or dense layers.</summary>
public sealed class DcganFamily : IModelFamily
{
    public string Name => "dcgan";

    public string Description => "DCGAN (Radford 2015), 28, 32, 64 or 128 pixels";

    public IReadOnlyList<int> Resolutions { get; } = [28, 32, 64, 128];

    public nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options) => new DcganGenerator(options);

    public nn.Module<Tensor, Tensor> CreateDiscriminator(ModelOptions options) => new DcganDiscriminator(options);
}
