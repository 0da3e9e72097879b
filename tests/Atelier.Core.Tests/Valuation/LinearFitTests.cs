using Atelier.Platform;
using Atelier.Valuation;
using MathNet.Numerics.LinearAlgebra;

namespace Atelier.Core.Tests.Valuation;

public sealed class LinearFitTests
{
    /// <summary>Standardised random rows (n×p) and targets from a known linear rule plus noise.</summary>
    private static (Matrix<double> X, double[] Y) Data(int n, int p, long seed, bool yesNo = false)
    {
        var random = SplitMix64.For(seed, "linear-fit-tests");
        var raw = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, p).Select(_ => random.Range(-1, 1)).ToArray()).ToArray();
        var scale = Standardiser.Of(raw, Enumerable.Range(0, n).ToArray());
        var x = scale.Matrix(raw, Enumerable.Range(0, n).ToArray());
        var y = Enumerable.Range(0, n).Select(i =>
        {
            double v = 2 * x[i, 0] - x[i, 1 % p] + 0.3 * random.Range(-1, 1);
            return yesNo ? (random.NextDouble() < LinearFit.Sigmoid(2 * v) ? 1.0 : 0.0) : v + 5;
        }).ToArray();
        return (x, y);
    }

    [Theory]
    [InlineData(40, 6)] // more works than features: the Gram matrix XᵀX
    [InlineData(12, 30)] // more features than works: XXᵀ
    public void Ridge_equals_the_direct_solution_of_its_normal_equations(int n, int p)
    {
        var (x, y) = Data(n, p, seed: n);
        var fit = new LinearFit(x, y);
        foreach (var factor in new[] { 1e-3, 0.1, 10 })
        {
            var weights = fit.Ridge(factor);
            double lambda = fit.Lambda(factor);
            // (XᵀX + λI) w = Xᵀ(y − ȳ), solved directly.
            var centred = Vector<double>.Build.DenseOfArray(y).Subtract(y.Average());
            var direct = x.TransposeThisAndMultiply(x).Add(Matrix<double>.Build.DenseIdentity(p).Multiply(lambda)).Solve(x.TransposeThisAndMultiply(centred));
            Assert.Equal(y.Average(), weights.Intercept, 12);
            for (int j = 0; j < p; j++) Assert.Equal(direct[j], weights.Weights[j], 8);
        }
        // λ is laid out around the mean eigenvalue of the Gram matrix: trace(XᵀX) / rank = n·p / min(n, p) for standardised columns.
        Assert.Equal(1.0 * n * p / Math.Min(n - 1, p), fit.Lambda(1), 6);
    }

    [Theory]
    [InlineData(60, 5)]
    [InlineData(15, 40)]
    public void Logistic_weights_make_the_penalised_gradient_vanish(int n, int p)
    {
        var (x, y) = Data(n, p, seed: 7 * n, yesNo: true);
        var fit = new LinearFit(x, y);
        foreach (var factor in new[] { 10, 0.1, 1e-2 })
        {
            var weights = fit.Logistic(factor);
            double lambda = fit.Lambda(factor);
            var w = Vector<double>.Build.DenseOfArray(weights.Weights);
            var residual = Vector<double>.Build.Dense(n, i => LinearFit.Sigmoid(weights.Intercept + x.Row(i).DotProduct(w)) - y[i]);
            // ∂/∂b = Σ(p − y) and ∂/∂w = Xᵀ(p − y) + λw, both zero at the optimum.
            Assert.True(Math.Abs(residual.Sum()) < 1e-6, $"intercept gradient {residual.Sum()}");
            var gradient = x.TransposeThisAndMultiply(residual).Add(w.Multiply(lambda));
            Assert.True(gradient.InfinityNorm() < 1e-6, $"weight gradient {gradient.InfinityNorm()} at factor {factor}");
        }
    }
}
