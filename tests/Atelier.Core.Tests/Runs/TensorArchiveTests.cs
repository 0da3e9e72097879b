using Atelier.Runs;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Runs;

public sealed class TensorArchiveTests
{
    [Fact]
    public void Every_supported_dtype_round_trips()
    {
        using var temp = new TempFolder();
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = randn(3, 4, 5),
            ["d"] = tensor(new[] { 1.5, -2.25 }),
            ["n"] = tensor(42L),
            ["i"] = tensor(new[] { 1, 2, 3 }),
            ["b"] = tensor(new byte[] { 0, 255 }),
        };
        TensorArchive.Save(temp.File("x.atlt"), tensors);
        var back = TensorArchive.Load(temp.File("x.atlt"));
        Assert.Equal(tensors.Keys.Order(), back.Keys.Order());
        foreach (var (k, v) in tensors)
        {
            Assert.Equal(v.dtype, back[k].dtype);
            Assert.Equal(v.shape, back[k].shape);
            Assert.True(v.equal(back[k]).all().item<bool>(), k);
        }
    }

    [Fact]
    public void Truncated_and_foreign_files_are_refused()
    {
        using var temp = new TempFolder();
        TensorArchive.Save(temp.File("x.atlt"), new Dictionary<string, Tensor> { ["w"] = ones(100) });
        var bytes = File.ReadAllBytes(temp.File("x.atlt"));
        File.WriteAllBytes(temp.File("cut.atlt"), bytes[..(bytes.Length - 10)]);
        Assert.Contains("truncated", Assert.Throws<CorruptCheckpointException>(() => TensorArchive.Load(temp.File("cut.atlt"))).Message);
        File.WriteAllText(temp.File("pickle.atlt"), "PK\u0003\u0004 a pickle");
        Assert.Contains("not an Atelier weight file", Assert.Throws<CorruptCheckpointException>(() => TensorArchive.Load(temp.File("pickle.atlt"))).Message);
    }
}
