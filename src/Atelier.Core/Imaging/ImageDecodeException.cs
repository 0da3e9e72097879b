namespace Atelier.Imaging;

/// <summary>An image file that cannot or must not be decoded; the message names the file and why.</summary>
public sealed class ImageDecodeException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
