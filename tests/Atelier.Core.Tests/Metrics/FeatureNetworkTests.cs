using System.Diagnostics;
using System.Globalization;
using Atelier.Data;
using Atelier.Metrics;

namespace Atelier.Core.Tests.Metrics;

public class FeatureNetworkTests
{
    /// <summary>A 32×32 RGB test card: gradients and a square, nothing random.</summary>
    internal static byte[] TestCard()
    {
        var image = new byte[3 * 32 * 32];
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                bool square = x is >= 8 and < 20 && y is >= 10 and < 22;
                image[y * 32 + x] = (byte)(x * 8);
                image[1024 + y * 32 + x] = (byte)(y * 8);
                image[2048 + y * 32 + x] = (byte)(square ? 240 : 30);
            }
        return image;
    }

    [Fact]
    public void ResNet18FeaturesOfTheTestCardMatchTheStoredReference()
    {
        // Fixtures/resnet18-testcard.txt was computed by the unmodified ONNX model at batch size 1 after the
        // package's own ResNetPreprocess.onnx; Atelier's batched model and C# preprocessing must agree with it.
        var reference = File.ReadAllText(TestImages.FixturePath("resnet18-testcard.txt"))
            .Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(512, reference.Length);
        using var network = new ResNet18Features();
        var features = network.Compute(TestCard(), 1, 3, 32).Features;
        Assert.Equal(512, features.Length);
        for (int i = 0; i < 512; i++) Assert.True(Math.Abs(features[i] - reference[i]) <= 1e-4, $"feature {i}: {features[i]} vs {reference[i]}");
        Assert.Contains(features, v => v > 0.1f);
    }

    [Fact]
    public void ResNet18GivesTheSameFeaturesInABatchAsAlone()
    {
        var card = TestCard();
        var flipped = card.Reverse().ToArray();
        var grey = new byte[32 * 32];
        for (int i = 0; i < grey.Length; i++) grey[i] = (byte)(i % 251);
        using var network = new ResNet18Features();
        var batch = network.Compute(card.Concat(flipped).Concat(card).ToArray(), 3, 3, 32).Features;
        var alone = network.Compute(flipped, 1, 3, 32).Features;
        for (int i = 0; i < 512; i++) Assert.Equal(alone[i], batch[512 + i], 4);
        Assert.Equal(batch[..512], batch[1024..]);
        // Grey input is repeated into three equal planes: same features as an RGB image with three equal planes.
        var greyFeatures = network.Compute(grey, 1, 1, 32).Features;
        var asRgb = network.Compute(grey.Concat(grey).Concat(grey).ToArray(), 1, 3, 32).Features;
        Assert.Equal(asRgb, greyFeatures);
    }

    [Fact]
    public void FeaturesInChunksWithProgressAreThoseOfOneCall()
    {
        // Evaluation reports progress per chunk of 256 images; the chunks are whole batches of every network, so the
        // features must be the very floats of one call over all images. Checked here with chunks of one ResNet18 batch
        // (16 images; 256 of the much slower random CNN took over two minutes), and that 256 is whole batches of each.
        Assert.All(new[] { ResNet18Features.BatchSize, RandomCnnFeatures.BatchSize, InceptionV3Features.BatchSize }, b => Assert.Equal(0, ImageSample.Chunk % b));
        const int chunk = ResNet18Features.BatchSize, count = 2 * chunk + 5;
        var rng = new Random(3);
        var pixels = new byte[count * 3 * 16 * 16];
        rng.NextBytes(pixels);
        var sample = ImageSample.FromPixels("noise", pixels, count, 3, 16);
        using var network = new ResNet18Features();
        var reports = new List<(long Done, long Total)>();
        var chunked = sample.Features(network, (done, total) => reports.Add((done, total)), chunk);
        var whole = network.Compute(pixels, count, 3, 16);
        Assert.Equal(whole.Features, chunked.Features);
        Assert.Equal([(chunk, count), (2 * chunk, count), (count, count)], reports);
    }

    private sealed class CountingNetwork : IFeatureNetwork
    {
        public int Calls { get; private set; }

        public string Id => "counting";

        public string Description => "mean of each channel, for tests";

        public string Preprocessing => "none";

        public int Dimension => 2;

        public int ClassCount => 0;

        public FeatureBatch Compute(ReadOnlySpan<byte> images, int count, int channels, int resolution)
        {
            Calls++;
            int size = channels * resolution * resolution;
            var f = new float[count * 2];
            for (int i = 0; i < count; i++)
            {
                var image = images.Slice(i * size, size);
                f[2 * i] = (float)image.ToArray().Average(b => b);
                f[2 * i + 1] = image[0];
            }
            return new FeatureBatch(f, null);
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void RealFeatureCacheHitsAndIsInvalidatedByNewDataOrDamage()
    {
        using var temp = new TempFolder();
        var cache = new FeatureCache(temp.Path);
        var network = new CountingNetwork();
        var pixels = Enumerable.Range(0, 10 * 16).Select(i => (byte)(i * 7)).ToArray();
        ImageSample Sample(string fingerprint) => new("test", fingerprint + "/10/0/0", pixels, 10, 1, 4);

        var first = cache.GetOrCompute(network, Sample("aaa"));
        Assert.False(cache.LastWasHit);
        var second = cache.GetOrCompute(network, Sample("aaa"));
        Assert.True(cache.LastWasHit);
        Assert.Equal(1, network.Calls);
        Assert.Equal(first.Features, second.Features);

        cache.GetOrCompute(network, Sample("bbb")); // another dataset fingerprint
        Assert.False(cache.LastWasHit);
        Assert.Equal(2, network.Calls);

        var file = cache.PathFor(FeatureCache.Key(network, Sample("aaa")));
        var bytes = File.ReadAllBytes(file);
        bytes[^3] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        var recomputed = cache.GetOrCompute(network, Sample("aaa"));
        Assert.False(cache.LastWasHit);
        Assert.Equal(3, network.Calls);
        Assert.Equal(first.Features, recomputed.Features);
    }

    [Fact]
    public void CopyDetectionFlagsPlantedTrainingImages()
    {
        var random = new Random(11);
        byte[] Noise(int n) => Enumerable.Range(0, n * 64).Select(_ => (byte)random.Next(256)).ToArray();
        var training = ImageSample.FromPixels("training", Noise(300), 300, 1, 8);
        var heldOut = ImageSample.FromPixels("held out", Noise(200), 200, 1, 8);
        var planted = new[] { 3, 50, 77, 120, 199, 250, 299 };
        var fresh = Noise(40);
        var generatedPixels = fresh.Concat(planted.SelectMany(i => training.Image(i).ToArray())).ToArray();
        var generated = ImageSample.FromPixels("generated", generatedPixels, 40 + planted.Length, 1, 8);
        float[] Features(ImageSample s) => s.Pixels.Select(b => b / 255f).ToArray(); // pixels as 64-d features
        var result = CopyDetector.Run(training, Features(training), heldOut, Features(heldOut), generated, Features(generated), 64);

        for (int j = 0; j < planted.Length; j++)
        {
            Assert.True(result.Pixels!.Flagged[40 + j], $"planted copy {j} not flagged");
            Assert.Equal(planted[j], result.Pixels.NearestIndex[40 + j]);
            Assert.Equal(0, result.Pixels.Nearest[40 + j], 6);
            Assert.True(result.Features.Flagged[40 + j]);
        }
        Assert.True(result.Pixels!.Flagged.Take(40).Count(f => f) <= 3, "fresh noise images flagged as copies");
        Assert.InRange(result.Pixels.Score, planted.Length / 47.0, (planted.Length + 3) / 47.0);
        Assert.Contains("200 held-out", result.Baseline);
        Assert.True(result.CosineMemorisationDistance >= 0);
        Assert.Equal(5.0 / 0.05, CopyDetector.MiFid(5, 0.05), 6);
        Assert.Equal(5.0, CopyDetector.MiFid(5, 0.3), 6);
    }

    [Fact]
    public void DomainClassifierLearnsLabelsAndIsCached()
    {
        // 16×16 grey images: class 0 has a bright left half, class 1 a bright right half, with noise.
        const int n = 240, r = 16;
        var random = new Random(2);
        var pixels = new byte[n * r * r];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            for (int y = 0; y < r; y++)
                for (int x = 0; x < r; x++)
                    pixels[i * r * r + y * r + x] = (byte)Math.Clamp(((x < r / 2) == (labels[i] == 0) ? 180 : 60) + random.Next(-40, 41), 0, 255);
        }
        var set = new ImageSet("halves", pixels, n, 1, r, labels, ["left", "right"], "halves-test");
        using var temp = new TempFolder();
        using var classifier = DomainClassifier.Open("halves", set, null, temp.Path, minimumSteps: 40);
        Assert.True(classifier.Accuracy >= 0.9, $"accuracy {classifier.Accuracy}");
        Assert.Contains("a 10% hold-out", classifier.Description);
        Assert.Equal(2, classifier.ClassCount);
        var batch = classifier.Compute(pixels.AsSpan(0, 4 * r * r), 4, 1, r);
        Assert.Equal(4 * 128, batch.Features.Length);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(1, batch.Probabilities![2 * i] + batch.Probabilities[2 * i + 1], 4);
            Assert.True(batch.Probabilities[2 * i + labels[i]] > 0.5, $"image {i} misclassified");
        }
        var clock = Stopwatch.StartNew();
        using var again = DomainClassifier.Open("halves", set, null, temp.Path, minimumSteps: 40);
        Assert.Equal(classifier.Description, again.Description);
        Assert.Equal(batch.Features, again.Compute(pixels.AsSpan(0, 4 * r * r), 4, 1, r).Features);
        // RGB input of another size is resized and averaged to grey.
        var rgb = new byte[3 * 32 * 32];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++) rgb[c * 1024 + y * 32 + x] = (byte)(x < 16 ? 200 : 40);
        var p = classifier.Compute(rgb, 1, 3, 32).Probabilities!;
        Assert.True(p[0] > p[1], "a bright-left RGB image should look like class 'left'");
    }
}
