namespace Atelier.Platform;

/// <summary>
/// A small counter-based random generator (Steele et al. 2014). Its whole state is one ulong, so every
/// random decision Atelier makes outside torch is a pure function of (seed, stream, counter).
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one stream of one seed, e.g. ("shuffle", epoch).</summary>
    public static SplitMix64 For(long seed, string stream, long counter = 0) =>
        new(Mix((ulong)seed ^ Mix(StableHash(stream)) ^ Mix((ulong)counter * 0x9E3779B97F4A7C15UL + 1)));

    public ulong State => _state;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        return Mix(z);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [min, max).</summary>
    public int Next(int min, int max)
    {
        if (max <= min) return min;
        return min + (int)(NextUInt64() % (ulong)(max - min));
    }

    public double Range(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    /// <summary>A Fisher–Yates permutation of 0..count-1.</summary>
    public int[] Permutation(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>FNV-1a: stable across processes, unlike string.GetHashCode.</summary>
    public static ulong StableHash(string text)
    {
        ulong hash = 0xcbf29ce484222325UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 0x100000001b3UL;
        }
        return hash;
    }
}
