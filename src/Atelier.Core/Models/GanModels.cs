using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>Builds the generator and discriminator an architecture names.</summary>
public static class GanModels
{
    public static nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options)
    {
        options.Validate();
        return options.Family.CreateGenerator(options);
    }

    public static nn.Module<Tensor, Tensor> CreateDiscriminator(ModelOptions options)
    {
        options.Validate();
        nn.Module<Tensor, Tensor> inner = options.Discriminator switch
        {
            DiscriminatorKind.Pixel => options.Family.CreateDiscriminator(options),
            DiscriminatorKind.Projected => new Projected.ProjectedDiscriminator(options),
            DiscriminatorKind.Ensemble => new Projected.EnsembleDiscriminator(options),
            DiscriminatorKind.SelfSupervised => new Fastgan.SelfSupervisedDiscriminator(options),
            _ => throw new Platform.OptionException($"--discriminator: {(int)options.Discriminator} is not a discriminator."),
        };
        return options.Classes > 0 || options.ClassHead > 0 ? new LabelledDiscriminator(inner, options) : inner;
    }

    /// <summary>
    /// Radford 2015: every convolution weight from N(0, 0.02); batch-norm scale from N(1, 0.02), shift 0. Frozen parts
    /// keep the weights their family gave them.
    /// </summary>
    public static void InitializeDcgan(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        var frozen = FrozenModule.In(module).Select(f => f.Prefix).ToList();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (frozen.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))) continue;
            bool norm = name.Contains("norm", StringComparison.Ordinal);
            if (name.StartsWith("class_embed", StringComparison.Ordinal))
                parameter.normal_(0.0, 1.0, generator); // multiplies z ~ N(0, I): keep its scale
            else if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                if (norm) parameter.normal_(1.0, 0.02, generator);
                else parameter.normal_(0.0, 0.02, generator);
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
        }
    }
}
