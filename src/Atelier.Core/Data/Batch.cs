namespace Atelier.Data;

/// <summary>One mini-batch: N×C×H×W pixels in [-1, 1] and the labels (-1 when unlabelled).</summary>
public sealed record Batch(long Index, float[] Pixels, int[] Labels, int Size, int Channels, int Resolution)
{
    /// <summary>The loader's byte buffer behind the pixels, returned with them by <see cref="BatchLoader.Recycle"/>.</summary>
    internal byte[]? Bytes { get; init; }

    /// <summary>For letterboxed data: N×1×H×W, 1 on the picture and 0 on the padding (flipped with the image); else null.</summary>
    public float[]? Mask { get; init; }
}
