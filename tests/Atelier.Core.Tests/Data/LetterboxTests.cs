using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Training;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Data;

public class LetterboxTests
{
    [Fact]
    public void FolderImagesKeepTheirAspectWithARegionAndTheLoaderFlipsTheMask()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("art"));
        using (var wide = TestImages.Gradient(40, 20)) TestImages.WritePng(temp.File("art/wide.png"), wide); // 2:1
        using (var tall = TestImages.Gradient(10, 40)) TestImages.WritePng(temp.File("art/tall.png"), tall); // 1:4
        var set = ImageFolderSource.Open(temp.File("art"), new ImageFolderOptions(16, 3, ImageFit.Letterbox), temp.File("cache"));
        Assert.True(set.HasRegions);
        Assert.Equal(new ImageRegion(6, 0, 10, 16), set.Region(0)); // tall: 4 of 16 columns, centred
        Assert.Equal(new ImageRegion(0, 4, 16, 12), set.Region(1)); // wide: 8 of 16 rows, centred
        // The regions survive the folder cache.
        var cached = ImageFolderSource.Open(temp.File("art"), new ImageFolderOptions(16, 3, ImageFit.Letterbox), temp.File("cache"));
        Assert.Equal(set.Regions, cached.Regions);
        Assert.False(ImageFolderSource.Open(temp.File("art"), new ImageFolderOptions(16, 3, ImageFit.CenterCrop), temp.File("cache")).HasRegions);

        // A padding pixel of the real image is the background (white).
        var bytes = new byte[3 * 16 * 16];
        set.Read(1, bytes);
        Assert.Equal(255, bytes[0]);

        // Every batch carries the masks of its images; padding pixels (mask 0) are the white background, flipped or not.
        using var loader = new BatchLoader(set, 2, seed: 3, flip: true, prefetch: 1);
        for (long b = 0; b < 6; b++)
        {
            var batch = loader.Build(b);
            Assert.NotNull(batch.Mask);
            for (int i = 0; i < 2; i++)
            {
                var mask = batch.Mask!.AsSpan(i * 256, 256);
                int ones = 0;
                foreach (var v in mask) ones += (int)v;
                Assert.True(ones is 64 or 128, $"mask of {ones} pixels");
                for (int p = 0; p < 256; p++)
                    if (mask[p] == 0) Assert.Equal(1f, batch.Pixels[i * 768 + p]);
            }
        }
    }

    [Fact]
    public void PaddingGetsNoGradientAndTheDiscriminatorSeesRealPaddingOnBothSides()
    {
        using var scope = NewDisposeScope();
        var fake = randn(new long[] { 2, 3, 8, 8 }, generator: new Generator(1)).requires_grad_(true);
        var real = randn(new long[] { 2, 3, 8, 8 }, generator: new Generator(2));
        var mask = zeros(2, 1, 8, 8);
        mask.narrow(3, 2, 4).fill_(1); // picture: columns 2..5
        var composite = LetterboxMask.Composite(fake, real, mask);
        // A discriminator loss of any form, here a weighted sum over every pixel.
        var weights = randn(new long[] { 3, 8, 8 }, generator: new Generator(3));
        (composite * weights).sum().backward();
        var grad = fake.grad!;
        Assert.Equal(0, grad.narrow(3, 0, 2).abs().sum().item<float>());
        Assert.Equal(0, grad.narrow(3, 6, 2).abs().sum().item<float>());
        Assert.True(grad.narrow(3, 2, 4).abs().sum().item<float>() > 0);
        Assert.True(composite.narrow(3, 0, 2).equal(real.narrow(3, 0, 2)).all().item<bool>());
        Assert.True(composite.narrow(3, 2, 4).equal(fake.narrow(3, 2, 4)).all().item<bool>());
    }

    [Fact]
    public void GeneratedImagesAreCroppedToTheAspect()
    {
        var pixels = Enumerable.Range(0, 2 * 1 * 4 * 4).Select(i => (float)i).ToArray();
        var (wide, h, w) = AspectCrop.Crop(pixels, 2, 1, 4, AspectCrop.Parse("2:1"));
        Assert.Equal((2, 4), (h, w));
        Assert.Equal([4f, 5, 6, 7, 8, 9, 10, 11, 20, 21, 22, 23, 24, 25, 26, 27], wide);
        var (tall, th, tw) = AspectCrop.Crop(pixels, 1, 1, 4, AspectCrop.Parse("1:2"));
        Assert.Equal((4, 2), (th, tw));
        Assert.Equal([1f, 2, 5, 6, 9, 10, 13, 14], tall);
        Assert.Contains("--aspect", Assert.Throws<OptionException>(() => AspectCrop.Parse("wide")).Message);
    }
}
