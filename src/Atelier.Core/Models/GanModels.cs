using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>Builds the generator and discriminator an architecture names.</summary>
public static class GanModels
{
    public static nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options)
    {
        options.Validate();
        return options.Architecture switch
        {
            "classic" => new ClassicGenerator(options),
            _ => new DcganGenerator(options),
        };
    }

    public static nn.Module<Tensor, Tensor> CreateDiscriminator(ModelOptions options)
    {
        options.Validate();
        nn.Module<Tensor, Tensor> inner = options.Architecture switch
        {
            "classic" => new ClassicDiscriminator(options),
            _ => new DcganDiscriminator(options),
        };
        return options.Classes > 0 || options.ClassHead > 0 ? new LabelledDiscriminator(inner, options) : inner;
    }

    /// <summary>Radford 2015: every convolution weight from N(0, 0.02); batch-norm scale from N(1, 0.02), shift 0.</summary>
    public static void InitializeDcgan(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
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
