using Atelier.Platform;
namespace Atelier.Sampling;

/// <summary>Parses seed lists like "0-63", "7", "1,5,9" or "0-3,10-12" (--seeds).</summary>
public static class SeedRange
{
    public const int MaxCount = 100_000;

    public static IReadOnlyList<long> Parse(string text, string flag = "--seeds")
    {
        var seeds = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) throw new OptionException($"{flag}: empty item in '{text}'; write e.g. 0-63 or 1,5,9.");
            int dash = part.IndexOf('-', 1);
            if (dash < 0)
            {
                seeds.Add(ParseOne(part, text, flag));
                continue;
            }
            long from = ParseOne(part[..dash], text, flag), to = ParseOne(part[(dash + 1)..], text, flag);
            if (to < from) throw new OptionException($"{flag}: range '{part}' runs backwards; write {to}-{from}.");
            if (to - from + 1 + seeds.Count > MaxCount) throw new OptionException($"{flag}: '{text}' names more than {MaxCount} seeds.");
            for (long s = from; s <= to; s++) seeds.Add(s);
        }
        return seeds;
    }

    /// <summary>One seed, 0..uint.MaxValue.</summary>
    public static long ParseSeed(string text, string flag = "--seed") => ParseOne(text, text, flag);

    private static long ParseOne(string item, string text, string flag)
    {
        if (!long.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seed) || seed > uint.MaxValue)
            throw new OptionException($"{flag}: '{item}'{(item == text ? "" : $" in '{text}'")} is not a seed (a whole number 0..{uint.MaxValue}).");
        return seed;
    }
}
