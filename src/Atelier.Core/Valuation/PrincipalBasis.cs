using MathNet.Numerics.LinearAlgebra;

namespace Atelier.Valuation;

/// <summary>
/// The principal components of a standardised training matrix X (n×p): Z = X·V with orthogonal columns of squared
/// norm s, r = rank ≤ min(n, p). Found from the eigendecomposition of the smaller Gram matrix (X·Xᵀ when n ≤ p, else
/// Xᵀ·X), so 500 ResNet features and 100 works cost a 100×100 problem. Ridge and L2-logistic fits are invariant to
/// this rotation, and in it ridge is diagonal.
/// </summary>
internal sealed class PrincipalBasis
{
    private readonly Matrix<double> _toWeights; // p×r: w = _toWeights · β

    public PrincipalBasis(Matrix<double> x)
    {
        int n = x.RowCount, p = x.ColumnCount;
        bool dual = n <= p;
        var gram = dual ? x.TransposeAndMultiply(x) : x.TransposeThisAndMultiply(x);
        var evd = gram.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Real();
        double largest = values.Maximum();
        var kept = Enumerable.Range(0, values.Count).Where(j => values[j] > Math.Max(largest, 1e-300) * 1e-10).OrderByDescending(j => values[j]).ToArray();
        var vectors = Matrix<double>.Build.Dense(gram.RowCount, kept.Length, (i, j) => evd.EigenVectors[i, kept[j]]);
        SquaredNorms = Vector<double>.Build.Dense(kept.Length, j => values[kept[j]]);
        if (dual)
        {
            // Z = U·√S; V = Xᵀ·U·S^(-1/2), so w = V·β.
            Scores = Matrix<double>.Build.Dense(n, kept.Length, (i, j) => vectors[i, j] * Math.Sqrt(SquaredNorms[j]));
            _toWeights = x.TransposeThisAndMultiply(vectors).Multiply(Matrix<double>.Build.DiagonalOfDiagonalArray(SquaredNorms.Select(s => 1 / Math.Sqrt(s)).ToArray()));
        }
        else
        {
            Scores = x.Multiply(vectors);
            _toWeights = vectors;
        }
    }

    /// <summary>Z: the training rows in the principal basis (n×r).</summary>
    public Matrix<double> Scores { get; }

    /// <summary>s: the squared norm of each column of Z (the Gram matrix's eigenvalues), largest first.</summary>
    public Vector<double> SquaredNorms { get; }

    /// <summary>The mean eigenvalue, the scale the regularisation grid is laid out around.</summary>
    public double MeanSquaredNorm => SquaredNorms.Count == 0 ? 1 : SquaredNorms.Average();

    /// <summary>Coefficients β in the basis as weights w on the standardised features.</summary>
    public Vector<double> Weights(Vector<double> beta) => _toWeights.Multiply(beta);
}
