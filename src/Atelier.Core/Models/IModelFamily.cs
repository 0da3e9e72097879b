using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>
/// A family of generator/discriminator pairs (DCGAN, the founding text's classic pair, ...): what --model names. A new
/// family is a class of this interface and one line in <see cref="ModelFamilies"/>; the trainer, checkpoints, resume
/// and generation need nothing else. Parts wrapped in <see cref="FrozenModule"/> never train and are not checkpointed.
/// </summary>
public interface IModelFamily
{
    /// <summary>The --model name, recorded in every manifest.</summary>
    string Name { get; }

    /// <summary>One line for --help and the Studio.</summary>
    string Description { get; }

    /// <summary>The image sides the family builds.</summary>
    IReadOnlyList<int> Resolutions { get; }

    /// <summary>Family-specific checks beyond <see cref="ModelOptions.Validate"/>; throw an OptionException naming the flag.</summary>
    void Validate(ModelOptions options)
    {
    }

    /// <summary>The generator: [B, latent] (plus a class column when conditional) → [B, C, R, R] in [−1, 1].</summary>
    nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options);

    /// <summary>The discriminator: [B, C, R, R] → [B] logits. Conditional and style heads are added around it.</summary>
    nn.Module<Tensor, Tensor> CreateDiscriminator(ModelOptions options);
}
