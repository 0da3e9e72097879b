using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>
/// A part of a network that never trains (a pretrained feature extractor, a fixed random projection): its parameters
/// never require gradients, so no optimiser sees them and nothing unfreezes them; the networks keep it in eval mode;
/// the run's initialisation leaves it alone; and checkpoints do not store it but record <see cref="WeightsHash"/>, which
/// a resume or a load checks against the module its family builds.
/// </summary>
public sealed class FrozenModule : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module frozen;

    /// <param name="name">What the frozen weights are (e.g. "resnet18-imagenet", "random-conv-seed-7").</param>
    /// <param name="module">The part; <see cref="forward"/> needs a module of one tensor to one tensor, any other is
    /// reached through <see cref="Module"/>.</param>
    public FrozenModule(string name, nn.Module module) : base(nameof(FrozenModule))
    {
        Identity = name;
        frozen = module;
        RegisterComponents();
        foreach (var p in parameters()) p.requires_grad = false;
        frozen.eval();
        WeightsHash = HashOf(frozen.state_dict());
    }

    /// <summary>What the weights are, as the family names them.</summary>
    public string Identity { get; }

    /// <summary>SHA-256 over the names, shapes and bytes of every tensor of the frozen part, in name order.</summary>
    public string WeightsHash { get; }

    /// <summary>"identity:sha256", as manifests record a frozen part.</summary>
    public string Id => $"{Identity}:{WeightsHash}";

    /// <summary>The frozen part itself, for a module with more than one output (e.g. feature maps at four scales).</summary>
    public nn.Module Module => frozen;

    public override Tensor forward(Tensor input) => frozen is nn.Module<Tensor, Tensor> m ? m.forward(input)
        : throw new InvalidOperationException($"the frozen part '{Identity}' is not a one-tensor module; call it through Module");

    /// <summary>SHA-256 over name, dtype, shape and little-endian bytes of each tensor, in name order.</summary>
    public static string HashOf(IReadOnlyDictionary<string, Tensor> state)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, value) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var t = value.detach().cpu().contiguous();
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}|{t.dtype}|{string.Join(",", t.shape)}|"));
            sha.AppendData(t.bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The frozen parts of a network with their state-dict prefixes ("features." for a child named features).</summary>
    public static IReadOnlyList<(string Prefix, FrozenModule Module)> In(nn.Module network) =>
        network.named_modules().Where(m => m.module is FrozenModule).Select(m => (m.name + ".", (FrozenModule)m.module)).ToList();

    /// <summary>The <see cref="Id"/> of each frozen part of one checkpoint part's network, keyed "part.prefix" as manifests key them.</summary>
    public static Dictionary<string, string> IdsIn(nn.Module network, string part) =>
        In(network).ToDictionary(f => part + "." + f.Prefix.TrimEnd('.'), f => f.Module.Id, StringComparer.Ordinal);
}
