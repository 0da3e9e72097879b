using Atelier.Metrics;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Metrics;

public class MetricMathTests
{
    private static FeatureStatistics Gaussian(double[] mean, double[,] covariance)
    {
        int d = mean.Length;
        var cov = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) cov[i * d + j] = covariance[i, j];
        return new FeatureStatistics(mean, cov, 1000);
    }

    [Fact]
    public void FrechetDistanceOfDiagonalGaussiansMatchesTheClosedForm()
    {
        // d² = ‖μ₁−μ₂‖² + Σ (σ₁ + σ₂ − 2√(σ₁σ₂)) for diagonal covariances.
        var a = Gaussian([0, 1, 2], new double[,] { { 1, 0, 0 }, { 0, 4, 0 }, { 0, 0, 9 } });
        var b = Gaussian([1, 1, 0], new double[,] { { 4, 0, 0 }, { 0, 4, 0 }, { 0, 0, 1 } });
        double expected = (1 + 0 + 4) + (1 + 4 - 2 * 2) + (4 + 4 - 2 * 4) + (9 + 1 - 2 * 3);
        Assert.Equal(expected, FrechetDistance.Compute(a, b), 9);
    }

    [Fact]
    public void FrechetDistanceHandlesCovariancesThatDoNotCommute()
    {
        // Σ₁ = I, Σ₂ = [[2,1],[1,2]] (eigenvalues 3 and 1): Tr(Σ₁Σ₂)^½ = √3 + 1.
        var a = Gaussian([0, 0], new double[,] { { 1, 0 }, { 0, 1 } });
        var b = Gaussian([0, 0], new double[,] { { 2, 1 }, { 1, 2 } });
        Assert.Equal(2 + 4 - 2 * (Math.Sqrt(3) + 1), FrechetDistance.Compute(a, b), 9);
        Assert.Equal(0, FrechetDistance.Compute(b, b), 9);
    }

    [Fact]
    public void FrechetDistanceOfSampledGaussiansApproachesTheAnalyticValue()
    {
        var random = new Random(3);
        float[] Sample(int n, double mean, double std)
        {
            var x = new float[n * 4];
            for (int i = 0; i < x.Length; i++)
                x[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            return x;
        }
        var a = FeatureStatistics.Of(Sample(20000, 0, 1), 4);
        var b = FeatureStatistics.Of(Sample(20000, 1, 2), 4);
        // 4·1² + 4·(1 + 4 − 2·2) = 8
        Assert.Equal(8, FrechetDistance.Compute(a, b), 0.25);
    }

    [Fact]
    public void FrechetDistanceStaysFiniteWithFewerSamplesThanDimensions()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 10 * 64).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 10 * 64).Select(_ => (float)random.NextDouble() + 0.5f).ToArray();
        double fid = FrechetDistance.Compute(FeatureStatistics.Of(x, 64), FeatureStatistics.Of(y, 64));
        Assert.True(double.IsFinite(fid) && fid > 0, $"FID {fid}");
        Assert.Equal(0, FrechetDistance.Compute(FeatureStatistics.Of(x, 64), FeatureStatistics.Of(x, 64)), 6);
    }

    [Fact]
    public void UnbiasedMmdMatchesAHandComputedValue()
    {
        // d = 1, k(a, b) = (ab + 1)³. x = {0, 1}, y = {1, 2}.
        // k(0,1) = 1; k(1,2) = 27; k(0,2) = 1; k(1,1) = 8.
        // xx: (k(0,1)+k(1,0))/2 = 1; yy: (k(1,2)+k(2,1))/2 = 27; xy: (k(0,1)+k(0,2)+k(1,1)+k(1,2))/4 = 37/4.
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 0, 1 }, new long[] { 2, 1 });
        var y = tensor(new double[] { 1, 2 }, new long[] { 2, 1 });
        Assert.Equal(1 + 27 - 2 * 37.0 / 4, KernelInceptionDistance.UnbiasedMmd2(x, y, 1), 9);
    }

    [Fact]
    public void KidIsNearZeroForOneDistributionAndPositiveForTwo()
    {
        var random = new Random(7);
        float[] Sample(int n, float shift) => Enumerable.Range(0, n * 8).Select(_ => (float)random.NextDouble() + shift).ToArray();
        var (same, sameStd) = KernelInceptionDistance.Compute(Sample(600, 0), Sample(600, 0), 8, seed: 1, subsets: 20, subsetSize: 200);
        var (different, _) = KernelInceptionDistance.Compute(Sample(600, 0), Sample(600, 0.5f), 8, seed: 1, subsets: 20, subsetSize: 200);
        Assert.True(Math.Abs(same) < 3 * sameStd + 1e-3, $"KID of one distribution {same} ± {sameStd}");
        Assert.True(different > 100 * Math.Abs(same) && different > 0.05, $"KID {different} vs {same}");
    }

    [Fact]
    public void InceptionScoreIsTheClassCountForConfidentEvenClassesAndOneForAConstant()
    {
        const int classes = 10, n = 1000;
        var confident = new float[n * classes];
        var constant = new float[n * classes];
        for (int i = 0; i < n; i++)
        {
            confident[i * classes + i % classes] = 1;
            for (int c = 0; c < classes; c++) constant[i * classes + c] = c == 0 ? 0.5f : 0.5f / (classes - 1);
        }
        var (even, evenStd) = InceptionScore.Compute(confident, classes);
        Assert.Equal(classes, even, 6);
        Assert.Equal(0, evenStd, 6);
        Assert.Equal(1, InceptionScore.Compute(constant, classes).Mean, 6);
    }

    [Fact]
    public void PrecisionAndRecallOnPointsOnALine()
    {
        // Real: 100 points at x = 0..99. With k = 3, an inner point's radius is 2 and an end point's 3.
        // Fake: copies of x = 0..49 and 50 points far away. Precision = 50/100. Recall: reals 0..49 sit on fakes;
        // 50, 51, 52 are within radius 3 of the fake at 49 (an end point of the fakes); 53 is not: 53/100.
        var real = Enumerable.Range(0, 100).SelectMany(i => new float[] { i, 0 }).ToArray();
        var fake = Enumerable.Range(0, 50).SelectMany(i => new float[] { i, 0 })
            .Concat(Enumerable.Range(0, 50).SelectMany(i => new float[] { 1000 + i, 0 })).ToArray();
        var (precision, recall) = PrecisionRecall.Compute(real, fake, 2, k: 3);
        Assert.Equal(0.5, precision, 9);
        Assert.Equal(0.53, recall, 9);
    }

    [Fact]
    public void AntialiasedResizeAveragesWhenShrinkingAndRepeatsGrey()
    {
        // 4 → 2 along each axis: output 0 is centred at 1.0 with support 2, weights 0.75, 0.75, 0.25 (then normalised)
        // on source pixels 0, 1, 2. Rows are constant, so the vertical pass keeps the value.
        var image = new byte[16];
        byte[] row = [0, 100, 200, 255];
        for (int y = 0; y < 4; y++) row.CopyTo(image, y * 4);
        var output = new float[3 * 4];
        ImageResize.ToRgbPlanes(image, 1, 4, 2, output);
        Assert.Equal((0 * 0.75 + 100 * 0.75 + 200 * 0.25) / 1.75, output[0], 3);
        Assert.Equal((100 * 0.25 + 200 * 0.75 + 255 * 0.75) / 1.75, output[1], 3);
        Assert.Equal(output[..4], output[4..8]);
        Assert.Equal(output[..4], output[8..12]);
        var flat = new float[3 * 49];
        ImageResize.ToRgbPlanes(Enumerable.Repeat((byte)77, 3 * 25).ToArray(), 3, 5, 7, flat);
        Assert.All(flat, v => Assert.Equal(77, v, 3));
    }
}
