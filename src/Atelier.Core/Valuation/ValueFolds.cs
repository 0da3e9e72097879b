using Atelier.Platform;

namespace Atelier.Valuation;

/// <summary>
/// Cross-validation folds. With groups (an artist, a series) every group lies in one fold, so no artist's works are
/// on both sides of a split: groups in a seeded random order, largest first, each to the fold with fewest rows.
/// Without groups the rows are shuffled and dealt round; yes/no targets are dealt class by class (stratified).
/// </summary>
internal static class ValueFolds
{
    /// <summary>The fold (0 … k−1) of each of <paramref name="rows"/>' items.</summary>
    public static int[] Assign(IReadOnlyList<int> rows, IReadOnlyList<double> targets, IReadOnlyList<string?> groups, int k, bool stratify, long seed, string stream)
    {
        var random = SplitMix64.For(seed, stream);
        var folds = new int[rows.Count];
        if (groups.Any(g => g is not null))
        {
            var members = rows.Select((row, position) => (Group: groups[row]!, position)).GroupBy(m => m.Group, StringComparer.Ordinal)
                .Select(g => g.Select(m => m.position).ToArray()).ToList();
            Shuffle(members, random);
            var sizes = new int[k];
            foreach (var group in members.OrderByDescending(g => g.Length)) // OrderBy is stable: equal sizes keep the shuffled order
            {
                int smallest = Array.IndexOf(sizes, sizes.Min());
                foreach (var position in group) folds[position] = smallest;
                sizes[smallest] += group.Length;
            }
            return folds;
        }
        var order = Enumerable.Range(0, rows.Count).ToList();
        Shuffle(order, random);
        if (stratify) order = order.OrderBy(position => targets[rows[position]]).ToList();
        for (int i = 0; i < order.Count; i++) folds[order[i]] = i % k;
        return folds;
    }

    /// <summary>How many folds the rows allow: k, or fewer when there are fewer groups (or rows) than k.</summary>
    public static int Count(IReadOnlyList<int> rows, IReadOnlyList<string?> groups, int k)
    {
        int units = groups.Any(g => g is not null) ? rows.Select(r => groups[r]).Distinct().Count() : rows.Count;
        return Math.Min(k, units);
    }

    private static void Shuffle<T>(IList<T> items, SplitMix64 random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(0, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
