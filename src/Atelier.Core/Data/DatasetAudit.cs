using System.Numerics;
using System.Security.Cryptography;
using Atelier.Imaging;
using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Data;

/// <summary>
/// Audits a folder of images before training: sizes, aspect ratios, colour modes, exact duplicates (same bytes),
/// near duplicates (perceptual hashes within a Hamming distance), unreadable files and class balance. It only reads.
/// </summary>
public static class DatasetAudit
{
    public const int DefaultThreshold = 12;

    public static AuditResult Run(string folder, int threshold = DefaultThreshold, ImageLimits? limits = null, Action<int, int>? progress = null)
    {
        var root = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DatasetNotFoundException($"data audit: folder '{folder}' does not exist.");
        if (threshold is < 0 or > 256) throw new OptionException($"--threshold: {threshold} is outside 0..256.");
        // The walk training uses (FolderWalk): a link to another image of the folder is read through (a duplicate of
        // it, as training sees it); links that leave the folder, loops, FIFOs and unreadable folders are reported.
        var (walked, left) = FolderWalk.Scan(root);
        var files = walked.Select(f => f.FullName).ToList();
        var images = new AuditedImage?[files.Count];
        var unreadable = new SkippedFile?[files.Count];
        int done = 0;
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var path = files[i];
            var relative = System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');
            try
            {
                var bytes = ImageCodec.ReadFile(path, limits);
                using var reservation = DecodeBudget.Shared.ReserveFor(bytes);
                using var bitmap = ImageCodec.Decode(bytes, path, limits);
                var slash = relative.IndexOf('/', StringComparison.Ordinal);
                images[i] = new AuditedImage(relative, bytes.Length, bitmap.Width, bitmap.Height, Mode(bitmap),
                    Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), DifferenceHash(bitmap), Colours(bitmap), slash > 0 ? relative[..slash] : null);
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                unreadable[i] = new SkippedFile(relative, e.Message);
            }
            var n = Interlocked.Increment(ref done);
            progress?.Invoke(n, files.Count);
        });
        var readable = images.Where(i => i is not null).Select(i => i!).ToList();
        var exact = readable.GroupBy(i => i.Hash).Where(g => g.Count() > 1).Select(g => (IReadOnlyList<AuditedImage>)g.ToList()).ToList();
        var reported = left.Select(l => new SkippedFile(System.IO.Path.GetRelativePath(root, l.Path).Replace('\\', '/'), l.Reason))
            .Concat(unreadable.Where(u => u is not null).Select(u => u!)).OrderBy(u => u.Path, StringComparer.Ordinal).ToList();
        return new AuditResult(root, readable, reported, exact, NearGroups(readable, threshold), threshold);
    }

    /// <summary>How many images of a finite source repeat an earlier one exactly, as the model sees them (after resizing).</summary>
    public static int DuplicateImages(IImageSource source)
    {
        if (source.IsUnlimited) return 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new byte[source.Channels * source.Resolution * source.Resolution];
        int duplicates = 0;
        for (int i = 0; i < source.Count; i++)
        {
            source.Read(i, buffer);
            if (!seen.Add(Convert.ToBase64String(SHA256.HashData(buffer)))) duplicates++;
        }
        return duplicates;
    }

    /// <summary>grey, grey+alpha, RGB or RGBA, judged from the pixels (a PNG saved as RGBA with no transparency is RGB).</summary>
    internal static string Mode(SKBitmap bitmap)
    {
        // Decoded bitmaps are RGBA already; a copy of a 10000x10000 picture would cost 400 MB more.
        using var copy = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888) ?? throw new InvalidDataException("cannot convert the image to RGBA");
        var pixels = (copy ?? bitmap).GetPixelSpan();
        bool grey = true, alpha = false;
        for (int i = 0; i < pixels.Length; i += 4)
        {
            if (pixels[i] != pixels[i + 1] || pixels[i] != pixels[i + 2]) grey = false;
            if (pixels[i + 3] != 255) alpha = true;
        }
        return (grey, alpha) switch { (true, false) => "grey", (true, true) => "grey+alpha", (false, false) => "RGB", _ => "RGBA" };
    }

    /// <summary>dHash: a 17×16 grey thumbnail (transparency on white); bit = pixel brighter than its right neighbour by more than 4 levels (so compression noise in flat areas flips no bits).</summary>
    public static ulong[] DifferenceHash(SKBitmap bitmap)
    {
        using var small = ImageCodec.Fit(bitmap, 17, 16, ImageFit.Stretch, SKColors.White);
        var grey = new byte[17 * 16];
        ImageCodec.ToBytes(small, 1, grey);
        var hash = new ulong[4];
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
            {
                int bit = y * 16 + x;
                if (grey[y * 17 + x] > grey[y * 17 + x + 1] + 4) hash[bit / 64] |= 1UL << (bit % 64);
            }
        return hash;
    }

    /// <summary>A 4×4 RGB thumbnail (transparency on white), CHW.</summary>
    public static byte[] Colours(SKBitmap bitmap)
    {
        using var small = ImageCodec.Fit(bitmap, 4, 4, ImageFit.Stretch, SKColors.White);
        var rgb = new byte[48];
        ImageCodec.ToBytes(small, 3, rgb);
        return rgb;
    }

    /// <summary>Bits that differ between two perceptual hashes.</summary>
    public static int HashDistance(ulong[] a, ulong[] b) => a.Zip(b, (x, y) => BitOperations.PopCount(x ^ y)).Sum();

    /// <summary>Near duplicates: structure within <paramref name="threshold"/> bits and mean colour difference at most 12/255.</summary>
    public static bool AreNear(AuditedImage a, AuditedImage b, int threshold) =>
        HashDistance(a.PerceptualHash, b.PerceptualHash) <= threshold && a.Colours.Zip(b.Colours, (x, y) => Math.Abs(x - y)).Average() <= 12;

    /// <summary>
    /// Groups of different files whose hashes are within the threshold of the group's first image (leader
    /// clustering in path order, so similar images do not chain into one huge group).
    /// </summary>
    private static List<IReadOnlyList<AuditedImage>> NearGroups(List<AuditedImage> images, int threshold)
    {
        // One representative per exact content, so exact duplicates are not reported twice.
        var distinct = images.GroupBy(i => i.Hash).Select(g => g.First()).OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
        var groups = new List<List<AuditedImage>>();
        foreach (var image in distinct)
        {
            var home = groups.FirstOrDefault(g => AreNear(g[0], image, threshold));
            if (home is null) groups.Add([image]);
            else home.Add(image);
        }
        return groups.Where(g => g.Count > 1).Select(g => (IReadOnlyList<AuditedImage>)g).ToList();
    }
}
