using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Atelier.Imaging;

namespace Atelier.Core.Tests.Imaging;

public sealed class PngMetadataTests
{
    /// <summary>A chunk of the given type and data, with its CRC.</summary>
    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), PngText.Crc32(chunk.AsSpan(4, 4 + data.Length)) ^ 0xFFFFFFFFu);
        return chunk;
    }

    /// <summary>The PNG with <paramref name="extra"/> chunks right after IHDR.</summary>
    private static byte[] With(byte[] png, params byte[][] extra) => [.. png[..33], .. extra.SelectMany(e => e), .. png[33..]];

    private static List<string> Types(byte[] png)
    {
        var types = new List<string>();
        for (int offset = 8; offset + 12 <= png.Length; offset += 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset)))
            types.Add(Encoding.ASCII.GetString(png, offset + 4, 4));
        return types;
    }

    [Fact]
    public void A_huge_text_chunk_costs_a_linear_pass_and_changes_no_pixel()
    {
        using var square = TestImages.Gradient(24, 24);
        var plain = ImageCodec.EncodePng(square);
        // 16 MB of comment and 4 MB of a private chunk: the codec alone took about 35 s on the comment (its cost grew
        // with the square of the chunk's size).
        var bloated = With(plain, Chunk("tEXt", [.. "Comment\0"u8, .. new byte[16 << 20].Select(_ => (byte)'x')]), Chunk("prVt", new byte[4 << 20]));
        var clock = Stopwatch.StartNew();
        using var decoded = ImageCodec.Decode(bloated, "bloated.png");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"decoding took {clock.Elapsed.TotalSeconds:F1} s");
        using var reference = ImageCodec.Decode(plain, "plain.png");
        Assert.Equal(reference.GetPixelSpan().ToArray(), decoded.GetPixelSpan().ToArray());
    }

    [Fact]
    public void Only_chunks_that_decide_the_pixels_are_kept_in_order_with_their_bytes()
    {
        using var square = TestImages.Gradient(8, 8);
        // Atelier's own PNGs carry text (Software, provenance): without it, nothing is left to leave out, and the
        // same array comes back.
        var encoded = ImageCodec.EncodePng(square);
        Assert.Contains("iTXt", Types(encoded));
        var plain = PngMetadata.WithoutMetadata(encoded);
        Assert.DoesNotContain("iTXt", Types(plain));
        Assert.Same(plain, PngMetadata.WithoutMetadata(plain));
        var gamma = Chunk("gAMA", [0, 0, 0xB1, 0x8F]);
        var png = With(plain, Chunk("tEXt", "a\0b"u8.ToArray()), gamma, Chunk("zTXt", [1, 0, 0]), Chunk("iTXt", "k\0\0\0\0\0v"u8.ToArray()), Chunk("eXIf", [0, 0]), Chunk("tIME", new byte[7]));
        var kept = PngMetadata.WithoutMetadata(png);
        Assert.Equal(Types(plain).Take(1).Append("gAMA").Concat(Types(plain).Skip(1)), Types(kept));
        Assert.Equal(plain.Length + gamma.Length, kept.Length);
        Assert.True(kept.AsSpan().IndexOf(gamma) > 0, "the gAMA chunk is copied byte for byte");
        // Lengths that do not add up: left as they are, for the codec to refuse.
        var broken = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(broken.AsSpan(33), 0x7FFFFFF0);
        Assert.Same(broken, PngMetadata.WithoutMetadata(broken));
        Assert.Throws<ImageDecodeException>(() => ImageCodec.Decode(broken, "broken.png"));
    }
}
