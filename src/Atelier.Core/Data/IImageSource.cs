namespace Atelier.Data;

/// <summary>
/// A dataset of square images at one resolution and channel count, read as CHW bytes (0..255).
/// </summary>
public interface IImageSource
{
    /// <summary>The name it was opened by, e.g. "fashion-mnist" or "procedural:kandinsky".</summary>
    string Name { get; }

    /// <summary>Images per epoch. Unlimited sources render a fresh set every epoch.</summary>
    int Count { get; }

    /// <summary>True when any non-negative index gives a distinct image (procedural sources).</summary>
    bool IsUnlimited { get; }

    /// <summary>1 (grey) or 3 (RGB).</summary>
    int Channels { get; }

    /// <summary>The side of the square images in pixels.</summary>
    int Resolution { get; }

    /// <summary>Class names when the source is labelled, else null.</summary>
    IReadOnlyList<string>? Classes { get; }

    /// <summary>A stable fingerprint of content and preprocessing: same fingerprint, same bytes.</summary>
    string Fingerprint { get; }

    /// <summary>Files that were skipped while loading, with the reason.</summary>
    IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Writes image <paramref name="index"/> as Channels×Resolution×Resolution bytes.</summary>
    void Read(long index, Span<byte> destination);

    /// <summary>The class of image <paramref name="index"/>, or -1 when unlabelled.</summary>
    int Label(long index);

    /// <summary>True when images are letterboxed and <see cref="Region"/> tells picture from padding.</summary>
    bool HasRegions => false;

    /// <summary>The picture area of image <paramref name="index"/> (the whole image unless letterboxed).</summary>
    Imaging.ImageRegion Region(long index) => new(0, 0, Resolution, Resolution);
}

