using Atelier.Platform;
using Atelier.Sampling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Projection;

/// <summary>
/// The first guess of a projection (Zhu et al. 2016, iGAN): a small convolutional network from an image to the latent
/// that made it, trained on pairs (z, G(z)) the generator draws itself, to minimise |E(G(z)) − z|². Stride-2
/// convolutions halve the image down to 8×8 or less, an average pool makes it 4×4, and a linear layer gives z.
/// </summary>
public sealed class LatentEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv2d> convs = new();
    private readonly Linear head;

    public LatentEncoder(int channels, int resolution, int latentSize, int width = 32) : base(nameof(LatentEncoder))
    {
        if (resolution < 8) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "the encoder needs images of 8 pixels or more");
        int input = channels, side = resolution, maps = width;
        while (side > 8)
        {
            convs.Add(nn.Conv2d(input, maps, 4, stride: 2, padding: 1));
            input = maps;
            maps = Math.Min(maps * 2, 256);
            side = (side + 1) / 2;
        }
        convs.Add(nn.Conv2d(input, input, 3, padding: 1));
        head = nn.Linear(input * 16, latentSize);
        LatentSize = latentSize;
        RegisterComponents();
    }

    public int LatentSize { get; }

    /// <summary>[B, C, R, R] in −1..1 → [B, latent].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = images;
        foreach (var conv in convs) x = nn.functional.leaky_relu(conv.forward(x), 0.2);
        x = nn.functional.adaptive_avg_pool2d(x, [4, 4]);
        return head.forward(x.flatten(1)).MoveToOuterDisposeScope();
    }

    /// <summary>He-normal weights and zero biases from a seeded generator: the same seed gives the same encoder.</summary>
    public void Initialize(long seed)
    {
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                p.zero_();
                continue;
            }
            long fanIn = p.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            p.normal_(0, Math.Sqrt(2.0 / fanIn) / (name.StartsWith("head", StringComparison.Ordinal) ? 2 : 1), generator);
        }
    }

    /// <summary>
    /// Trains the encoder for <paramref name="steps"/> Adam steps (lr 1e-3, batch <paramref name="batchSize"/>) on the
    /// generator's own images; each step's latents are a function of (seed, step), so the result is reproducible.
    /// Returns the mean squared latent error of the last 10 % of the steps (1 would be predicting zero).
    /// </summary>
    public double Train(nn.Module<Tensor, Tensor> generator, int steps, long seed, int batchSize = 64, IProgress<(int Done, int Total, double Loss)>? progress = null, CancellationToken cancel = default)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "at least one step");
        var device = parameters().First().device;
        generator.eval();
        train();
        using var adam = optim.Adam(parameters(), lr: 1e-3);
        double tail = 0;
        int tailCount = 0;
        int tailStart = steps - Math.Max(1, steps / 10);
        for (int step = 0; step < steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var pause = GcPause.Begin();
            using var scope = NewDisposeScope();
            var z = Latents.ForStream(seed, "encoder", step, batchSize, LatentSize, device);
            Tensor images;
            using (no_grad()) images = generator.forward(z);
            adam.zero_grad();
            var loss = (forward(images) - z).square().mean();
            loss.backward();
            adam.step();
            double value = loss.item<float>();
            if (step >= tailStart)
            {
                tail += value;
                tailCount++;
            }
            progress?.Report((step + 1, steps, value));
        }
        eval();
        return tail / tailCount;
    }
}
