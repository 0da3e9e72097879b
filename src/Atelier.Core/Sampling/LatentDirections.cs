using System.Globalization;
using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Sampling;

/// <summary>
/// Closed-form factorisation of latent semantics (SeFa, Shen &amp; Zhou 2021): the directions n of the latent space that
/// the generator's first layer amplifies most, i.e. the top eigenvectors of AᵀA for the first layer's weight A
/// (z → first feature map). Moving a latent along them changes large-scale attributes; no training or labels needed.
/// </summary>
public static class LatentDirections
{
    /// <summary>The first layer's weight as A [outputs, latent]: DCGAN's first transposed convolution is [latent, out, k, k].</summary>
    public static Tensor FirstLayer(nn.Module<Tensor, Tensor> generator, int latentSize)
    {
        foreach (var (name, p) in generator.named_parameters())
        {
            if (!name.EndsWith("weight", StringComparison.Ordinal) || name.Contains("embed", StringComparison.Ordinal) || name.Contains("norm", StringComparison.Ordinal)) continue;
            if (p.dim() == 4 && p.shape[0] == latentSize) return p.detach().reshape(latentSize, -1).t(); // ConvTranspose2d(latent, out, k, k)
            if (p.dim() == 2 && p.shape[1] == latentSize) return p.detach(); // Linear(latent → out)
        }
        throw new ArgumentException("the generator has no first layer that reads the latent vector");
    }

    /// <summary>The top <paramref name="count"/> directions (unit vectors, rows) and their eigenvalues, largest first.</summary>
    public static (float[][] Directions, double[] Eigenvalues) Factorize(Tensor weight, int count)
    {
        using var scope = NewDisposeScope();
        var a = weight.to(float64);
        var (values, vectors) = linalg.eigh(a.t().matmul(a)); // ascending
        long n = values.shape[0];
        count = (int)Math.Min(count, n);
        var order = Enumerable.Range(0, count).Select(i => n - 1 - i).ToArray();
        var eig = values.data<double>().ToArray();
        var directions = new float[count][];
        for (int i = 0; i < count; i++)
        {
            var v = vectors.select(1, order[i]);
            // Eigenvectors have no sign; fix it so the largest component is positive, for stable sliders across runs.
            if (v.abs().argmax().item<long>() is var k && v[k].item<double>() < 0) v = -v;
            directions[i] = v.to(float32).data<float>().ToArray();
        }
        return (directions, order.Select(i => eig[i]).ToArray());
    }

    /// <summary>Parses --edit "0:2.5,3:-1" into (direction index, distance) pairs.</summary>
    public static IReadOnlyList<(int Direction, double Distance)> ParseEdits(string text)
    {
        var edits = new List<(int, double)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':');
            if (pieces.Length != 2 || !int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out int d) || d > 511
                || !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x) || Math.Abs(x) > 100)
                throw new OptionException($"--edit: '{part}' is not direction:distance (e.g. 0:2.5; direction 0-511, distance within ±100).");
            edits.Add((d, x));
        }
        return edits;
    }

    public static string FormatEdits(IReadOnlyList<(int Direction, double Distance)> edits) =>
        string.Join(",", edits.Select(e => FormattableString.Invariant($"{e.Direction}:{e.Distance:R}")));
}
