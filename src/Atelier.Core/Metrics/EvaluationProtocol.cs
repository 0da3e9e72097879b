namespace Atelier.Metrics;

/// <summary>What a metric number depends on; printed and logged with every number.</summary>
public sealed record EvaluationProtocol(string Network, string NetworkDescription, string Resize, string Real, string Fake, int NReal, int NFake, long Seed)
{
    /// <summary>The protocol as one line of key=value pairs, as printed under every number.</summary>
    public string Line =>
        $"network={Network} [{NetworkDescription}]; resize={Resize}; real={Real}; fake={Fake}; n_real={NReal}; n_fake={NFake}; seed={Seed}";
}

