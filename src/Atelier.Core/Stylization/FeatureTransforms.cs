using static TorchSharp.torch;

namespace Atelier.Stylization;

/// <summary>
/// The feature transforms of the fast style path, on maps [1, C, H, W]; the statistics are taken in float64.
/// </summary>
public static class FeatureTransforms
{
    /// <summary>Eigenvalues below this fraction of the largest are dropped (ReLU maps have dead channels; Li et al.
    /// drop those below 1e-5 absolute, for VGG's scale).</summary>
    public const double EigenvalueFloor = 1e-5;

    private const double Epsilon = 1e-5;

    /// <summary>
    /// Huang and Belongie 2017: each channel of <paramref name="content"/> shifted and scaled to the style's mean and
    /// standard deviation.
    /// </summary>
    public static Tensor Adain(Tensor content, Tensor style)
    {
        using var scope = NewDisposeScope();
        var c = content.to(float64);
        var s = style.to(float64);
        var (cMean, cStd) = MeanStd(c);
        var (sMean, sStd) = MeanStd(s);
        return ((c - cMean) / cStd * sStd + sMean).to(content.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Li et al. 2017, the whitening and colouring transform: the content's features, centred, are whitened (their
    /// covariance becomes the identity) and coloured with the style's covariance and mean, so that the result has the
    /// style's second-order statistics across channels while the content's spatial layout is kept.
    /// </summary>
    public static Tensor Wct(Tensor content, Tensor style)
    {
        using var scope = NewDisposeScope();
        long channels = content.shape[1];
        var c = content.to(float64).view(channels, -1);
        var s = style.to(float64).view(channels, -1);
        var cMean = c.mean([1], keepdim: true);
        var sMean = s.mean([1], keepdim: true);
        var cCentred = c - cMean;
        var (cValues, cVectors) = Eigen(cCentred);
        var (sValues, sVectors) = Eigen(s - sMean);
        var whiten = cVectors.matmul(diag(KeptPower(cValues, -0.5))).matmul(cVectors.t());
        var colour = sVectors.matmul(diag(KeptPower(sValues, 0.5))).matmul(sVectors.t());
        var result = colour.matmul(whiten.matmul(cCentred)) + sMean;
        return result.view(content.shape).to(content.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The transform named by <paramref name="method"/>.</summary>
    public static Tensor Apply(StyleMethod method, Tensor content, Tensor style) => method switch
    {
        StyleMethod.Wct => Wct(content, style),
        StyleMethod.Adain => Adain(content, style),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a feature transform"),
    };

    private static (Tensor Mean, Tensor Std) MeanStd(Tensor x)
    {
        var mean = x.mean([2, 3], keepdim: true);
        var std = (x.var([2, 3], keepdim: true) + Epsilon).sqrt();
        return (mean, std);
    }

    /// <summary>Eigenvalues (ascending) and eigenvectors of the covariance of centred features [C, N].</summary>
    private static (Tensor Values, Tensor Vectors) Eigen(Tensor centred)
    {
        long n = Math.Max(1, centred.shape[1] - 1);
        var covariance = centred.matmul(centred.t()) / n;
        var (values, vectors) = linalg.eigh(covariance);
        return (values, vectors);
    }

    /// <summary>λ^power for the eigenvalues above the floor, 0 for the rest.</summary>
    private static Tensor KeptPower(Tensor values, double power)
    {
        var floor = values.max().clamp(min: 1e-30) * EigenvalueFloor;
        var kept = values.gt(floor);
        return where(kept, values.clamp(min: 1e-30).pow(power), zeros_like(values));
    }
}
