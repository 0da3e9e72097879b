using Atelier.Runs;

namespace Atelier.Core.Tests.Runs;

public sealed class RunNameTests
{
    [Theory]
    [InlineData("dcgan", "fashion-mnist", 28, "dcgan-fashion-mnist28")]
    [InlineData("dcgan", "fashion-mnist:test", 28, "dcgan-fashion-mnist-test28")]
    [InlineData("dcgan", "procedural:kandinsky", 32, "dcgan-kandinsky32")]
    [InlineData("fastgan", "/home/ana/Pictures/Collages/", 64, "fastgan-collages64")]
    // data audit's manifest is always atelier-clean.txt: the run is named by the folder that holds it.
    [InlineData("dcgan", "~/art/atelier-clean.txt", 64, "dcgan-art64")]
    [InlineData("dcgan", "atelier-clean.txt", 64, "dcgan-atelier-clean64")]
    [InlineData("vae", "Été à Paris", 64, "vae-t-paris64")]
    public void A_numbered_run_is_named_by_model_dataset_and_resolution(string model, string data, int resolution, string expected) =>
        Assert.Equal(expected, RunFolder.NameFor(model, data, resolution));

    [Fact]
    public void Numbers_count_up_from_the_highest_in_the_folder()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "00007-dcgan-mnist28"));
        var run = RunFolder.CreateNumbered(temp.Path, "dcgan", "/data/art/atelier-clean.txt", 64);
        Assert.Equal("00008-dcgan-art64", Path.GetFileName(run.Path));
    }
}
