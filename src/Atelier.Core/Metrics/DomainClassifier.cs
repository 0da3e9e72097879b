using System.Diagnostics;
using Atelier.Data;
using Atelier.Platform;
using Atelier.Runs;
using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>
/// domain:&lt;dataset&gt;: a small CNN that Atelier trains on a labelled dataset and caches, giving in-domain
/// features (its 128-d hidden layer) and class probabilities — the usual "MNIST score" practice for small
/// grayscale data, where an ImageNet network sees mostly blur. Training is deterministic (fixed seed, no
/// dropout) and its held-out accuracy is part of the description, so a weak classifier cannot hide.
/// </summary>
public sealed class DomainClassifier : IFeatureNetwork
{
    public const string Prefix = "domain:";
    private const int Version = 1, BatchSize = 128, Hidden = 128;

    private readonly Network _network;

    private DomainClassifier(Network network, string dataset, IReadOnlyList<string> classes, double accuracy, string accuracyOn, string weightsHash)
    {
        _network = network;
        Id = Prefix + dataset;
        Classes = classes;
        Accuracy = accuracy;
        Description = $"Atelier domain classifier v{Version} trained on {dataset} ({network.Channels}x{network.Resolution}x{network.Resolution}, " +
                      $"{classes.Count} classes, {accuracy:P1} accuracy on {accuracyOn}, weights {weightsHash[..12]}), {Hidden}-d hidden features";
    }

    public string Id { get; }

    public string Description { get; }

    public string Preprocessing => $"{ImageResize.Method} to {_network.Resolution}x{_network.Resolution}" + (_network.Channels == 1 ? ", RGB averaged to grey" : "");

    public int Dimension => Hidden;

    public int ClassCount => Classes.Count;

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Share of held-out images classified correctly.</summary>
    public double Accuracy { get; }

    /// <summary>Loads the cached classifier for a labelled dataset, training and caching it first if needed.</summary>
    public static DomainClassifier Open(string dataset, DatasetResolver resolver, string cacheDirectory, string? dataRoot = null, Action<string>? log = null)
    {
        var train = resolver.Open(new DatasetRequest(dataset, DataRoot: dataRoot, FolderLabels: true));
        IImageSource? test = null;
        if (IdxDataset.Find(dataset.ToLowerInvariant()) is not null)
            test = resolver.Open(new DatasetRequest(dataset + ":test", DataRoot: dataRoot));
        return Open(dataset, train, test, cacheDirectory, log);
    }

    /// <summary>Loads or trains the classifier of <paramref name="train"/>; <paramref name="test"/> measures its accuracy (else a 10% hold-out).</summary>
    internal static DomainClassifier Open(string dataset, IImageSource train, IImageSource? test, string cacheDirectory, Action<string>? log = null, int minimumSteps = 300)
    {
        if (train.Classes is not { Count: >= 2 } classes)
            throw new OptionException($"--network {Prefix}{dataset}: the dataset has no class labels; use a labelled dataset (fashion-mnist, mnist, or a folder with one subfolder per class).");
        var path = Path.Combine(cacheDirectory, "feature-networks", $"domain-v{Version}-{train.Fingerprint}.safetensors");
        var network = new Network(train.Channels, train.Resolution, classes.Count);
        double accuracy;
        string accuracyOn;
        if (File.Exists(path))
        {
            using var scope = NewDisposeScope();
            var tensors = SafetensorsFormat.Load(path);
            accuracy = tensors["meta.accuracy"].item<double>();
            accuracyOn = tensors.ContainsKey("meta.test") ? "its test split" : "a 10% hold-out";
            tensors.Remove("meta.accuracy");
            tensors.Remove("meta.test");
            Training.GanNetworks.LoadModule(network, tensors, path, "domain classifier");
        }
        else
        {
            log?.Invoke($"training the domain classifier for {dataset} (cached in {path})");
            (accuracy, accuracyOn) = Train(network, train, test, log, minimumSteps);
            var state = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
            state["meta.accuracy"] = tensor(accuracy, float64);
            if (test is not null) state["meta.test"] = tensor(1);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Imaging.AtomicFile.Write(path, stream => SafetensorsFormat.Write(stream, state));
        }
        network.eval();
        return new DomainClassifier(network, dataset, classes, accuracy, accuracyOn, Sha(path));
    }

    private static string Sha(string path) => CheckpointStore.Sha256(path);

    private static (double Accuracy, string On) Train(Network network, IImageSource train, IImageSource? test, Action<string>? log, int minimumSteps)
    {
        int n = train.Count, bytes = train.Channels * train.Resolution * train.Resolution;
        var order = SplitMix64.For(0, "domain-classifier").Permutation(n);
        // Without a test split, the last 10% of a fixed permutation is held out.
        int trainCount = test is null ? Math.Max(1, n * 9 / 10) : n;
        var heldOut = test is null ? order[trainCount..] : null;
        using (var init = new Generator(20260101))
        using (var noGrad = no_grad())
        {
            // PyTorch's default layer initialisation, U(±1/√fan_in) for weight and bias, but from a seeded generator.
            // A bias takes the fan-in of its layer's weight.
            var parameters = network.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
            foreach (var (name, p) in network.named_parameters())
            {
                var weight = name.EndsWith(".bias", StringComparison.Ordinal) ? parameters[name[..^"bias".Length] + "weight"] : p;
                double bound = 1 / Math.Sqrt(weight.numel() / weight.shape[0]);
                p.uniform_(-bound, bound, generator: init);
            }
        }
        using var optimizer = optim.Adam(network.parameters(), lr: 1e-3);
        int stepsPerEpoch = (trainCount + BatchSize - 1) / BatchSize;
        int steps = Math.Max(2 * stepsPerEpoch, minimumSteps);
        var clock = Stopwatch.StartNew();
        var batch = new byte[BatchSize * bytes];
        var labels = new long[BatchSize];
        network.train();
        using var gcWindow = new GcWindow(); // see GcPause: no collection in the middle of a tensor call
        for (int step = 0; step < steps; step++)
        {
            gcWindow.Ensure();
            using var scope = NewDisposeScope();
            int epoch = step / stepsPerEpoch, within = step % stepsPerEpoch;
            var epochOrder = SplitMix64.For(0, "domain-epoch", epoch).Permutation(trainCount);
            int count = Math.Min(BatchSize, trainCount - within * BatchSize);
            for (int i = 0; i < count; i++)
            {
                int index = order[epochOrder[within * BatchSize + i]];
                train.Read(index, batch.AsSpan(i * bytes, bytes));
                labels[i] = train.Label(index);
            }
            var x = ToInput(batch, count, train.Channels, train.Resolution);
            var y = tensor(labels.AsSpan(0, count).ToArray());
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(network.Logits(x), y);
            loss.backward();
            optimizer.step();
            if (log is not null && (step + 1) % 200 == 0) log($"  domain classifier step {step + 1}/{steps}, loss {loss.item<float>():F3}, {clock.Elapsed.TotalSeconds:F0} s");
        }
        network.eval();
        var source = test ?? train;
        var indices = heldOut ?? Enumerable.Range(0, test!.Count).ToArray();
        int correct = 0;
        for (int start = 0; start < indices.Length; start += 512)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int count = Math.Min(512, indices.Length - start);
            var pixels = new byte[count * bytes];
            for (int i = 0; i < count; i++) source.Read(indices[start + i], pixels.AsSpan(i * bytes, bytes));
            var predicted = network.Logits(ToInput(pixels, count, train.Channels, train.Resolution)).argmax(1).data<long>().ToArray();
            for (int i = 0; i < count; i++) if (predicted[i] == source.Label(indices[start + i])) correct++;
        }
        double accuracy = (double)correct / indices.Length;
        log?.Invoke($"  domain classifier: {accuracy:P1} accuracy on {(test is null ? "the hold-out" : "the test split")} after {clock.Elapsed.TotalSeconds:F0} s");
        return (accuracy, test is null ? "a 10% hold-out" : "its test split");
    }

    private static Tensor ToInput(byte[] pixels, int count, int channels, int resolution) =>
        tensor(pixels.AsSpan(0, count * channels * resolution * resolution).ToArray(), new long[] { count, channels, resolution, resolution })
            .to(float32).div(127.5).sub(1);

    public FeatureBatch Compute(ReadOnlySpan<byte> images, int count, int channels, int resolution)
    {
        int r = _network.Resolution, c = _network.Channels, inBytes = channels * resolution * resolution;
        var input = new byte[count * c * r * r];
        if (channels == c && resolution == r)
        {
            images[..input.Length].CopyTo(input);
        }
        else
        {
            var planes = new float[3 * r * r];
            for (int i = 0; i < count; i++)
            {
                ImageResize.ToRgbPlanes(images.Slice(i * inBytes, inBytes), channels, resolution, r, planes);
                var dest = input.AsSpan(i * c * r * r, c * r * r);
                for (int k = 0; k < r * r; k++)
                {
                    if (c == 1) dest[k] = (byte)Math.Clamp((int)MathF.Round((planes[k] + planes[r * r + k] + planes[2 * r * r + k]) / 3), 0, 255);
                    else for (int ch = 0; ch < 3; ch++) dest[ch * r * r + k] = (byte)Math.Clamp((int)MathF.Round(planes[ch * r * r + k]), 0, 255);
                }
            }
        }
        var features = new float[count * Hidden];
        var probabilities = new float[count * ClassCount];
        for (int start = 0; start < count; start += 512)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int n = Math.Min(512, count - start);
            var x = ToInput(input.AsSpan(start * c * r * r, n * c * r * r).ToArray(), n, c, r);
            var hidden = _network.Features(x);
            hidden.data<float>().CopyTo(features, start * Hidden);
            nn.functional.softmax(_network.Head(hidden), 1).data<float>().CopyTo(probabilities, start * ClassCount);
        }
        return new FeatureBatch(features, probabilities);
    }

    public void Dispose() => _network.Dispose();

    /// <summary>conv 32 → pool → conv 64 → pool → 128 hidden → classes; sized for 2-core CPUs.</summary>
    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> body;
        private readonly nn.Module<Tensor, Tensor> head;

        public Network(int channels, int resolution, int classes) : base("domain")
        {
            Channels = channels;
            Resolution = resolution;
            int pooled = resolution / 4;
            body = nn.Sequential(
                nn.Conv2d(channels, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(64 * pooled * pooled, Hidden), nn.ReLU());
            head = nn.Linear(Hidden, classes);
            RegisterComponents();
        }

        public int Channels { get; }

        public int Resolution { get; }

        public Tensor Features(Tensor x) => body.forward(x);

        public Tensor Head(Tensor hidden) => head.forward(hidden);

        public Tensor Logits(Tensor x) => head.forward(body.forward(x));

        public override Tensor forward(Tensor x) => Logits(x);
    }
}
