using static TorchSharp.torch;

namespace Atelier.Stylization;

/// <summary>
/// Limited-memory BFGS (Nocedal and Wright 2006, algorithm 7.4 and 7.5) on one flat tensor, with a backtracking line
/// search on the sufficient-decrease (Armijo) condition, every trial point projected onto a box and the gradient of values held at its faces set to zero. libtorch's
/// L-BFGS has no line search in TorchSharp; without one its first step (the gradient scaled by 1/‖g‖₁) is so small on
/// an image that its change tolerance ends the run after a single iteration. Every evaluation of the function counts
/// against the budget, so a run costs what it was given.
/// </summary>
internal sealed class Lbfgs(int history, double low, double high)
{
    private const double Armijo = 1e-4;
    private const int MaxHalvings = 12;

    /// <summary>One evaluation: the loss at a point and its gradient there (the gradient is the caller's to give).</summary>
    public delegate (double Loss, Tensor Gradient) Function(Tensor point);

    /// <summary>Minimises from <paramref name="start"/> with at most <paramref name="evaluations"/> evaluations; returns
    /// the best point seen. <paramref name="evaluated"/> is told after every evaluation (its count and the loss).</summary>
    public Tensor Minimise(Tensor start, Function function, int evaluations, Action<int, double> evaluated, CancellationToken cancel)
    {
        using var scope = NewDisposeScope();
        var x = start.detach().flatten().clone().clamp_(low, high);
        var (f, raw) = function(x);
        var g = Free(x, raw);
        int used = 1;
        evaluated(used, f);
        var s = new List<Tensor>();
        var y = new List<Tensor>();
        var rho = new List<double>();
        while (used < evaluations)
        {
            cancel.ThrowIfCancellationRequested();
            using var iteration = NewDisposeScope();
            var direction = Direction(g, s, y, rho);
            double slope = direction.dot(g).item<float>();
            bool steepest = s.Count == 0;
            if (!(slope < 0))
            {
                // Not a descent direction (the curvature pairs went stale): start again from steepest descent.
                foreach (var t0 in s.Concat(y)) t0.Dispose();
                s.Clear(); y.Clear(); rho.Clear();
                direction = -g;
                steepest = true;
                if (!(-g.dot(g).item<float>() < 0)) break;
            }
            // Steepest descent moves no pixel by more than one level at first; a quasi-Newton step tries its full length.
            double t = steepest ? 1 / Math.Max(g.abs().max().item<float>(), 1e-30) : 1;
            Tensor? accepted = null, acceptedGradient = null;
            double acceptedLoss = f;
            for (int halving = 0; halving <= MaxHalvings && used < evaluations; halving++)
            {
                var trial = (x + direction * t).clamp_(low, high);
                var (ft, rawTrial) = function(trial);
                var gt = Free(trial, rawTrial);
                used++;
                evaluated(used, ft);
                double decrease = (trial - x).dot(g).item<float>();
                if (ft < f && ft <= f + Armijo * Math.Min(decrease, 0))
                {
                    (accepted, acceptedLoss, acceptedGradient) = (trial, ft, gt);
                    break;
                }
                trial.Dispose();
                gt.Dispose();
                t *= 0.5;
            }
            if (accepted is null || acceptedGradient is null) break;
            var step = accepted - x;
            var change = acceptedGradient - g;
            double curvature = step.dot(change).item<float>();
            if (curvature > 1e-10)
            {
                if (s.Count == history)
                {
                    s[0].Dispose(); y[0].Dispose();
                    s.RemoveAt(0); y.RemoveAt(0); rho.RemoveAt(0);
                }
                s.Add(step.MoveToOuterDisposeScope());
                y.Add(change.MoveToOuterDisposeScope());
                rho.Add(1 / curvature);
            }
            x.Dispose();
            g.Dispose();
            (x, f, g) = (accepted.MoveToOuterDisposeScope(), acceptedLoss, acceptedGradient.MoveToOuterDisposeScope());
        }
        return x.view(start.shape).MoveToOuterDisposeScope();
    }

    /// <summary>The projected gradient: components that push a value further against its bound are zero, so the
    /// quasi-Newton model sees only the free pixels (a clipped pixel would otherwise keep asking to move).</summary>
    private Tensor Free(Tensor x, Tensor gradient)
    {
        using var scope = NewDisposeScope();
        var blocked = ((x <= low) & (gradient > 0)) | ((x >= high) & (gradient < 0));
        var free = gradient.masked_fill(blocked, 0);
        if (!ReferenceEquals(free, gradient)) gradient.Dispose();
        return free.MoveToOuterDisposeScope();
    }

    /// <summary>The two-loop recursion: −H g with the initial Hessian scaled by sᵀy / yᵀy of the latest pair.</summary>
    private static Tensor Direction(Tensor g, List<Tensor> s, List<Tensor> y, List<double> rho)
    {
        using var scope = NewDisposeScope();
        var q = g.clone();
        var alpha = new double[s.Count];
        for (int i = s.Count - 1; i >= 0; i--)
        {
            alpha[i] = rho[i] * s[i].dot(q).item<float>();
            q.sub_(y[i] * alpha[i]);
        }
        if (s.Count > 0) q.mul_(1 / (rho[^1] * y[^1].dot(y[^1]).item<float>()));
        for (int i = 0; i < s.Count; i++)
        {
            double beta = rho[i] * y[i].dot(q).item<float>();
            q.add_(s[i] * (alpha[i] - beta));
        }
        return q.neg().MoveToOuterDisposeScope();
    }
}
