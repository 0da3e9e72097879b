using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>
/// The fixed reference batch of virtual batch normalisation (Salimans 2016): latents drawn once, stored with the
/// weights, put in front of every batch and removed from the output. Does nothing when VBN is off.
/// </summary>
public sealed class ReferenceLatents : nn.Module
{
    private readonly Tensor? latents;
    private readonly int _size;

    public ReferenceLatents(ModelOptions options) : base(nameof(ReferenceLatents))
    {
        if (options.VirtualBatchNorm)
        {
            _size = options.ReferenceBatchSize;
            using var generator = new Generator(0x5EF_BA7C);
            latents = randn(new long[] { _size, options.LatentSize }, generator: generator);
        }
        RegisterComponents();
    }

    /// <summary>Draws new reference latents (the trainer does this once, from the run's seed).</summary>
    public void Reset(Generator generator)
    {
        if (latents is null) return;
        using var noGrad = no_grad();
        latents.copy_(randn(latents.shape, generator: generator));
    }

    /// <summary>Whether virtual batch norm is on (a reference batch travels with every batch).</summary>
    public bool Active => latents is not null;

    public Tensor Prepend(Tensor z) => latents is null ? z : cat([latents.to(z.device), z], 0);

    public Tensor Strip(Tensor output) => latents is null ? output : output.narrow(0, _size, output.shape[0] - _size);
}
