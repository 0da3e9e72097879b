namespace Atelier.Studio;

/// <summary>
/// A style transfer the Studio runs: `atelier style` of one uploaded picture (<paramref name="Content"/>) in the style
/// of another (<paramref name="Style"/>), both named by the ids that <c>POST /api/uploads</c> returned, in a job of
/// the queue. The result is kept in <c>&lt;runs&gt;/.studio/styles/&lt;id&gt;.png</c>, with its recipe (inputs by name
/// and SHA-256) in its text chunks.
/// </summary>
/// <param name="Content">Upload id of the picture to restyle.</param>
/// <param name="Style">Upload id of the style image.</param>
/// <param name="Strength">--strength: weight of the style against the content.</param>
/// <param name="PreserveColor">--preserve-color: the style's luminance only, the content's colours.</param>
/// <param name="Size">--size: long side of the result in pixels.</param>
/// <param name="Steps">--steps: L-BFGS evaluations.</param>
public sealed record StyleJobRequest(string? Content = null, string? Style = null, double Strength = 1, bool PreserveColor = false, int Size = 256, int Steps = 300)
{
    public const int MinSize = 64;

    /// <summary>At most 1024 pixels from the Studio (the command line goes to 4096 with tiles).</summary>
    public const int MaxSize = 1024;

    public const int MinSteps = 10;

    public const int MaxSteps = 1000;

    /// <summary>The result's id: a function of the inputs and every option, so the same request gives the same file.</summary>
    public string Id() => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        FormattableString.Invariant($"{Content}|{Style}|{Strength:R}|{PreserveColor}|{Size}|{Steps}")))).ToLowerInvariant()[..16];
}
