namespace Atelier.Studio;

/// <summary>
/// A projection the Studio runs into one of its runs: `atelier project` on a picture uploaded from the playground, in a
/// job of the queue. The picture is kept in the Studio's own folder, <c>&lt;runs&gt;/.studio/uploads/</c>
/// (never served back), and the results in
/// <c>&lt;run&gt;/projection/&lt;id&gt;/</c>, where the id names the picture's SHA-256 and the options.
/// </summary>
/// <param name="Steps">Adam steps (--steps).</param>
/// <param name="Strokes">Match only what was drawn (--mask strokes).</param>
/// <param name="EncoderSteps">Training steps of the run's latent encoder (--encoder-steps; trained once, then cached).</param>
public sealed record ProjectionJobRequest(int Steps = 300, bool Strokes = false, int EncoderSteps = 1000)
{
    public const int MinSteps = 10;

    public const int MaxSteps = 3000;

    public const int MinEncoderSteps = 10;

    public const int MaxEncoderSteps = 20_000;

    /// <summary>Uploads larger than this are refused (413).</summary>
    public const int MaxUploadBytes = 16 * 1024 * 1024;

    /// <summary>The files of a projection's folder that the Studio serves.</summary>
    public static IReadOnlyList<string> Files { get; } =
        ["target.png", "mask.png", "comparison.png", "variations.png", "walk.gif", "projection-1.png", "projection-2.png", "projection-3.png",
            "projection-1.latent.json", "projection-2.latent.json", "projection-3.latent.json"];

    /// <summary>The folder name of a projection: the picture's hash (16 hex digits), the steps, the encoder's steps, and
    /// "-strokes" when masked.</summary>
    public string Id(string pictureHash) => FormattableString.Invariant($"{pictureHash}-s{Steps}-e{EncoderSteps}{(Strokes ? "-strokes" : "")}");
}
