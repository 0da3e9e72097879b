using MathNet.Numerics.LinearAlgebra;

namespace Atelier.Valuation;

/// <summary>A linear model on standardised features: intercept + x·w (a value, or the log-odds of yes).</summary>
internal sealed record LinearWeights(double Intercept, double[] Weights)
{
    public double Predict(ReadOnlySpan<double> standardised)
    {
        double sum = Intercept;
        for (int j = 0; j < Weights.Length; j++) sum += Weights[j] * standardised[j];
        return sum;
    }
}

/// <summary>
/// Ridge regression (closed form, diagonal in the principal basis: β_j = z_jᵀy / (s_j + λ)) and L2-penalised logistic
/// regression (Newton's method in the principal basis, the intercept unpenalised), for one training set and any λ.
/// λ is given as a factor of the mean eigenvalue of the training Gram matrix, so one grid suits every n and p.
/// </summary>
internal sealed class LinearFit
{
    /// <summary>The regularisation factors searched, 10^-4 … 10^3 in half decades.</summary>
    public static IReadOnlyList<double> Grid { get; } = Enumerable.Range(0, 15).Select(k => Math.Pow(10, -4 + 0.5 * k)).ToArray();

    private readonly PrincipalBasis _basis;
    private readonly Vector<double> _targets;
    private readonly double _mean;
    private Vector<double>? _logisticStart;
    private double _logisticStartIntercept;

    public LinearFit(Matrix<double> standardised, IReadOnlyList<double> targets)
    {
        _basis = new PrincipalBasis(standardised);
        _targets = Vector<double>.Build.DenseOfEnumerable(targets);
        _mean = _targets.Average();
    }

    /// <summary>λ for a grid factor.</summary>
    public double Lambda(double factor) => factor * _basis.MeanSquaredNorm;

    public LinearWeights Ridge(double factor)
    {
        double lambda = Lambda(factor);
        var centred = _targets.Subtract(_mean);
        var projections = _basis.Scores.TransposeThisAndMultiply(centred);
        var beta = Vector<double>.Build.Dense(projections.Count, j => projections[j] / (_basis.SquaredNorms[j] + lambda));
        return new LinearWeights(_mean, _basis.Weights(beta).ToArray());
    }

    /// <summary>
    /// Minimises Σ log-loss + λ/2·‖β‖² by Newton's method with step halving. Successive calls start from the last
    /// solution, so walking the grid from strong to weak regularisation takes a few steps each.
    /// </summary>
    public LinearWeights Logistic(double factor)
    {
        double lambda = Lambda(factor);
        var z = _basis.Scores;
        int n = z.RowCount, r = z.ColumnCount;
        double rate = Math.Clamp(_mean, 1e-6, 1 - 1e-6);
        var beta = _logisticStart?.Clone() ?? Vector<double>.Build.Dense(r);
        double intercept = _logisticStart is null ? Math.Log(rate / (1 - rate)) : _logisticStartIntercept;
        double loss = Loss(beta, intercept);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            var eta = z.Multiply(beta).Add(intercept);
            var p = eta.Map(Sigmoid);
            var residual = p.Subtract(_targets);
            var weight = p.Map(v => Math.Max(v * (1 - v), 1e-12));
            // The (r+1)×(r+1) Hessian: [Σw, (Zᵀw)ᵀ; Zᵀw, ZᵀWZ + λI], and the gradient [Σ(p−y); Zᵀ(p−y) + λβ].
            var hessian = Matrix<double>.Build.Dense(r + 1, r + 1);
            var weighted = z.Clone();
            for (int i = 0; i < n; i++) weighted.SetRow(i, z.Row(i).Multiply(weight[i]));
            hessian.SetSubMatrix(1, 1, z.TransposeThisAndMultiply(weighted).Add(Matrix<double>.Build.DiagonalIdentity(r).Multiply(lambda)));
            var zw = z.TransposeThisAndMultiply(weight);
            hessian[0, 0] = weight.Sum();
            for (int j = 0; j < r; j++) hessian[0, j + 1] = hessian[j + 1, 0] = zw[j];
            var gradient = Vector<double>.Build.Dense(r + 1);
            gradient[0] = residual.Sum();
            gradient.SetSubVector(1, r, z.TransposeThisAndMultiply(residual).Add(beta.Multiply(lambda)));
            var step = hessian.Cholesky().Solve(gradient);
            double scale = 1;
            Vector<double> nextBeta;
            double nextIntercept, nextLoss;
            do
            {
                nextBeta = beta.Subtract(step.SubVector(1, r).Multiply(scale));
                nextIntercept = intercept - scale * step[0];
                nextLoss = Loss(nextBeta, nextIntercept);
                scale /= 2;
            }
            while (nextLoss > loss + 1e-12 && scale > 1e-6);
            bool done = Math.Abs(loss - nextLoss) < 1e-10 * Math.Max(1, Math.Abs(loss));
            (beta, intercept, loss) = (nextBeta, nextIntercept, nextLoss);
            if (done) break;
        }
        _logisticStart = beta;
        _logisticStartIntercept = intercept;
        return new LinearWeights(intercept, _basis.Weights(beta).ToArray());

        double Loss(Vector<double> b, double c)
        {
            var eta = z.Multiply(b).Add(c);
            double total = 0;
            for (int i = 0; i < n; i++) total += Math.Log(1 + Math.Exp(-Math.Abs(eta[i]))) + Math.Max(eta[i], 0) - _targets[i] * eta[i];
            return total + lambda / 2 * b.DotProduct(b);
        }
    }

    public static double Sigmoid(double v) => v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v));
}
