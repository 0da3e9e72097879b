using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>
/// A discriminator made of a body (convolutions down to a feature map) and a dense head that reads its flattened
/// output: the shape of DCGAN's and the founding text's discriminators. Parameters are named body.* and output.*.
/// </summary>
public abstract class BodyHeadDiscriminator : nn.Module<Tensor, Tensor>, IFeatureDiscriminator
{
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly nn.Module<Tensor, Tensor> output;

    protected BodyHeadDiscriminator(string name, nn.Module<Tensor, Tensor> body, nn.Module<Tensor, Tensor> output, long featureSize) : base(name)
    {
        this.body = body;
        this.output = output;
        FeatureSize = featureSize;
        register_module(nameof(body), body);
        register_module(nameof(output), output);
    }

    public long FeatureSize { get; }

    /// <param name="images">[B, C, R, R]</param>
    /// <returns>[B] logits</returns>
    public override Tensor forward(Tensor images) => output.forward(body.forward(images).flatten(1)).view(-1);

    public (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor images)
    {
        var features = body.forward(images).flatten(1);
        return (output.forward(features).view(-1), features);
    }
}
