using System.Globalization;
using Atelier.Platform;

namespace Atelier.Sampling;

/// <summary>
/// How a seed's latent is moved before the generator sees it: truncation ψ (z·ψ, toward the mean of N(0, I)), a
/// variation (a second draw ε, seeded by the seed and an index, scaled by a spread) and edits along SeFa directions.
/// </summary>
public sealed record LatentShape(IReadOnlyList<(int Direction, double Distance)> Edits, double Truncation = 1, (int Index, double Spread)? Variation = null)
{
    public const double MaxTruncation = 2;
    public const double MaxSpread = 4;

    public static LatentShape None { get; } = new([]);

    public bool IsIdentity => Edits.Count == 0 && Truncation == 1 && Variation is null;

    /// <summary>The seed of variation <paramref name="index"/> of <paramref name="seed"/>: a pure function of both.</summary>
    public static long VariationSeed(long seed, int index) => (long)(SplitMix64.For(seed, "variation", index).NextUInt64() >> 33);

    /// <summary>Parses a truncation ψ in (0, 2].</summary>
    public static double ParseTruncation(string text, string flag = "--truncation") =>
        CheckTruncation(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var psi) ? psi : double.NaN, flag, text);

    /// <summary>Returns ψ when it is in (0, 2], else throws naming <paramref name="flag"/> (and the text it came from).</summary>
    public static double CheckTruncation(double psi, string flag = "--truncation", string? text = null)
    {
        if (!double.IsFinite(psi) || psi <= 0 || psi > MaxTruncation)
            throw new OptionException($"{flag}: '{text ?? psi.ToString("R", CultureInfo.InvariantCulture)}' is not a truncation in (0, {MaxTruncation}] (1 = none, 0.7 = closer to the average image).");
        return psi;
    }

    /// <summary>Parses a variation "index:spread", e.g. "3:0.5".</summary>
    public static (int Index, double Spread) ParseVariation(string text, string flag = "--variation")
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index > 1_000_000
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double spread) || !double.IsFinite(spread) || spread < 0 || spread > MaxSpread)
            throw new OptionException($"{flag}: '{text}' is not index:spread (e.g. 3:0.5; index 0-1000000, spread 0-{MaxSpread}).");
        return (index, spread);
    }

    public static string FormatVariation((int Index, double Spread) v) => FormattableString.Invariant($"{v.Index}:{v.Spread:R}");
}
