using Atelier.Platform;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Atelier.Metrics;

/// <summary>
/// inception-v3: the network standard FID uses, built in TorchSharp, with weights from a file the user supplies —
/// pytorch-fid's FID weights (pt_inception-2015-12-05-*.pth, 1008 classes, with its FID-specific pooling) or
/// torchvision's inception_v3 state dict (1000 classes), as a PyTorch .pth/.pt or a .safetensors file. Input:
/// 299×299 RGB scaled to [−1, 1]; output: the 2048-d pool features and the softmax of the logits (Inception Score).
/// No such weights can be installed with Atelier, so it says so plainly when none are configured.
/// </summary>
public sealed partial class InceptionV3Features : IFeatureNetwork
{
    public const string NetworkId = "inception-v3";
    public const string WeightsVariable = "ATELIER_INCEPTION_WEIGHTS";
    public const int Size = 299;
    internal const int BatchSize = 16;

    private readonly Inception3 _network;
    private readonly string _weights;

    private InceptionV3Features(Inception3 network, string weights, string hash)
    {
        _network = network;
        _weights = weights;
        Description = $"Inception v3 ({(network.FidVariant ? "pytorch-fid FID weights" : "torchvision weights")}, {Path.GetFileName(weights)}, sha256 {hash[..12]}), 2048-d pool features, {network.Classes}-way softmax";
    }

    public string Id => NetworkId;

    public string Description { get; }

    public string Preprocessing => $"{ImageResize.Method} to {Size}x{Size}, grey repeated to RGB, scaled to [-1, 1]";

    public int Dimension => 2048;

    public int ClassCount => _network.Classes;

    /// <summary>Opens the network with weights from <paramref name="weights"/> or $ATELIER_INCEPTION_WEIGHTS.</summary>
    public static InceptionV3Features Open(string? weights, Action<string>? log = null)
    {
        weights ??= Environment.GetEnvironmentVariable(WeightsVariable);
        if (string.IsNullOrWhiteSpace(weights))
            throw new OptionException($"--network {NetworkId}: no weights file is configured. Atelier cannot download them; give --inception-weights <file> " +
                $"(or set {WeightsVariable}) with pytorch-fid's pt_inception-2015-12-05-6726825d.pth or a torchvision inception_v3 state dict (.pth or .safetensors). " +
                $"Without one, use --network {ResNet18Features.NetworkId} (offline, but not comparable to published FID).");
        if (!File.Exists(weights)) throw new OptionException($"--inception-weights: '{weights}' does not exist.");
        var state = ReadStateDict(weights);
        var fid = state.TryGetValue("fc.weight", out var fc) && fc.shape[0] == 1008;
        int classes = fc is null ? 1000 : (int)fc.shape[0];
        var network = new Inception3(classes, fid);
        Load(network, state, weights);
        network.eval();
        log?.Invoke($"loaded {NetworkId} weights from {weights}");
        return new InceptionV3Features(network, weights, Runs.CheckpointStore.Sha256(weights));
    }

    /// <summary>Reads a PyTorch pickle or safetensors state dict; strips a leading "module." (DataParallel).</summary>
    internal static Dictionary<string, Tensor> ReadStateDict(string path) => Export.PyTorchStateDict.Read(path, "--inception-weights");

    /// <summary>
    /// Copies the weights in, by name. AuxLogits (training only) and num_batches_tracked are ignored; anything else
    /// missing, extra or of the wrong shape is an error that names the key.
    /// </summary>
    internal static void Load(nn.Module network, Dictionary<string, Tensor> state, string file)
    {
        static bool Ignored(string key) => key.StartsWith("AuxLogits.", StringComparison.Ordinal) || key.EndsWith("num_batches_tracked", StringComparison.Ordinal);
        var target = network.state_dict().Where(kv => !Ignored(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var given = state.Where(kv => !Ignored(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var missing = target.Keys.Except(given.Keys).ToList();
        var extra = given.Keys.Except(target.Keys).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new OptionException($"--inception-weights: '{file}' does not fit Inception v3 (missing: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? $" and {missing.Count - 5} more" : "")}; " +
                $"unexpected: {string.Join(", ", extra.Take(5))}{(extra.Count > 5 ? $" and {extra.Count - 5} more" : "")}).");
        using var noGrad = no_grad();
        foreach (var (key, t) in target)
        {
            var source = given[key];
            if (!source.shape.SequenceEqual(t.shape))
                throw new OptionException($"--inception-weights: '{file}': {key} has shape [{string.Join(",", source.shape)}], Inception v3 needs [{string.Join(",", t.shape)}].");
            t.copy_(source.to(t.dtype));
        }
    }

    public FeatureBatch Compute(ReadOnlySpan<byte> images, int count, int channels, int resolution)
    {
        int imageBytes = channels * resolution * resolution, plane = 3 * Size * Size;
        var features = new float[count * Dimension];
        var probabilities = new float[count * ClassCount];
        var source = images[..(count * imageBytes)].ToArray();
        for (int first = 0; first < count; first += BatchSize)
        {
            int n = Math.Min(BatchSize, count - first);
            var input = new float[n * plane];
            Parallel.For(0, n, i =>
            {
                var dest = input.AsSpan(i * plane, plane);
                ImageResize.ToRgbPlanes(source.AsSpan((first + i) * imageBytes, imageBytes), channels, resolution, Size, dest);
                for (int k = 0; k < plane; k++) dest[k] = dest[k] / 127.5f - 1f;
            });
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (pool, logits) = _network.Run(tensor(input, new long[] { n, 3, Size, Size }));
            pool.data<float>().CopyTo(features, first * Dimension);
            F.softmax(logits, 1).data<float>().CopyTo(probabilities, first * ClassCount);
        }
        return new FeatureBatch(features, probabilities);
    }

    /// <summary>Pool features and logits of images already at 299×299 in [−1, 1] (tests compare these with PyTorch).</summary>
    internal (Tensor Pool, Tensor Logits) RunPrepared(Tensor x)
    {
        using var noGrad = no_grad();
        return _network.Run(x);
    }

    internal bool FidVariant => _network.FidVariant;

    public void Dispose() => _network.Dispose();

    /// <summary>torchvision's Inception3 layout and parameter names; FidVariant switches to pytorch-fid's pooling.</summary>
    internal sealed class Inception3 : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006 // names follow torchvision's state dict keys
        private readonly BasicConv2d Conv2d_1a_3x3, Conv2d_2a_3x3, Conv2d_2b_3x3, Conv2d_3b_1x1, Conv2d_4a_3x3;
        private readonly InceptionA Mixed_5b, Mixed_5c, Mixed_5d;
        private readonly InceptionB Mixed_6a;
        private readonly InceptionC Mixed_6b, Mixed_6c, Mixed_6d, Mixed_6e;
        private readonly InceptionD Mixed_7a;
        private readonly InceptionE Mixed_7b, Mixed_7c;
        private readonly TorchSharp.Modules.Linear fc;
#pragma warning restore IDE1006

        public Inception3(int classes, bool fidVariant) : base("Inception3")
        {
            Classes = classes;
            FidVariant = fidVariant;
            Conv2d_1a_3x3 = new BasicConv2d(3, 32, 3, stride: 2);
            Conv2d_2a_3x3 = new BasicConv2d(32, 32, 3);
            Conv2d_2b_3x3 = new BasicConv2d(32, 64, 3, padding: 1);
            Conv2d_3b_1x1 = new BasicConv2d(64, 80, 1);
            Conv2d_4a_3x3 = new BasicConv2d(80, 192, 3);
            Mixed_5b = new InceptionA(192, 32, fidVariant);
            Mixed_5c = new InceptionA(256, 64, fidVariant);
            Mixed_5d = new InceptionA(288, 64, fidVariant);
            Mixed_6a = new InceptionB(288);
            Mixed_6b = new InceptionC(768, 128, fidVariant);
            Mixed_6c = new InceptionC(768, 160, fidVariant);
            Mixed_6d = new InceptionC(768, 160, fidVariant);
            Mixed_6e = new InceptionC(768, 192, fidVariant);
            Mixed_7a = new InceptionD(768);
            Mixed_7b = new InceptionE(1280, fidVariant ? PoolKind.AverageExcludingPadding : PoolKind.Average);
            Mixed_7c = new InceptionE(2048, fidVariant ? PoolKind.Max : PoolKind.Average);
            fc = nn.Linear(2048, classes);
            RegisterComponents();
        }

        public int Classes { get; }

        public bool FidVariant { get; }

        /// <summary>Pool features [N, 2048] and logits [N, Classes] of images in [−1, 1] at 299×299.</summary>
        public (Tensor Pool, Tensor Logits) Run(Tensor x)
        {
            x = Conv2d_2b_3x3.forward(Conv2d_2a_3x3.forward(Conv2d_1a_3x3.forward(x)));
            x = F.max_pool2d(x, 3, 2);
            x = Conv2d_4a_3x3.forward(Conv2d_3b_1x1.forward(x));
            x = F.max_pool2d(x, 3, 2);
            x = Mixed_5d.forward(Mixed_5c.forward(Mixed_5b.forward(x)));
            x = Mixed_6a.forward(x);
            x = Mixed_6e.forward(Mixed_6d.forward(Mixed_6c.forward(Mixed_6b.forward(x))));
            x = Mixed_7c.forward(Mixed_7b.forward(Mixed_7a.forward(x)));
            var pool = F.adaptive_avg_pool2d(x, 1).flatten(1);
            return (pool, fc.forward(pool));
        }

        public override Tensor forward(Tensor x) => Run(x).Logits;
    }
}
