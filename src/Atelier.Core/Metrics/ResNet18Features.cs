using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Atelier.Metrics;

/// <summary>
/// resnet18-imagenet: the ImageNet ResNet18 that NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 ships as
/// ONNX, run with ONNX Runtime. Input as in ML.NET's featurizer: RGB planes in 0..255 at 224×224, minus the
/// package's ResNetPreprocess.onnx, which reorders the planes to BGR and subtracts a mean image (done here in C#,
/// with the mean read off that model); output the 512-d global-average-pooled features. The model is rewritten to
/// take batches.
/// </summary>
public sealed class ResNet18Features : IFeatureNetwork
{
    public const string NetworkId = "resnet18-imagenet";
    public const int Size = 224;
    public const int BatchSize = 16;
    private const string InputName = "Input247", OutputName = "Pooling395_Output_0";

    private readonly InferenceSession _session;
    private readonly float[] _mean;

    public ResNet18Features(string? modelDirectory = null, int threads = 0)
    {
        var (model, prep) = ModelFiles(modelDirectory, $"--network {NetworkId}");
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads > 0) options.IntraOpNumThreads = threads;
        _mean = MeanImage(prep);
        _session = new InferenceSession(OnnxBatchDimension.MakeBatchSymbolic(File.ReadAllBytes(model)), options);
    }

    /// <summary>
    /// The network and preprocessing ONNX files in <paramref name="modelDirectory"/> (default: <see cref="DefaultDirectory"/>);
    /// missing ones fail naming <paramref name="what"/> and how to get them back.
    /// </summary>
    internal static (string Model, string Preprocess) ModelFiles(string? modelDirectory, string what)
    {
        var dir = modelDirectory ?? DefaultDirectory;
        var model = Path.Combine(dir, "ResNet18.onnx");
        var prep = Path.Combine(dir, "ResNetPreprocess.onnx");
        if (!File.Exists(model) || !File.Exists(prep))
            throw new FileNotFoundException($"{what}: the ONNX files are missing from '{dir}' (ResNet18.onnx, ResNetPreprocess.onnx); rebuild Atelier, which copies them from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1.");
        return (model, prep);
    }

    /// <summary>models/resnet18 beside the Atelier assemblies.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models", "resnet18");

    public string Id => NetworkId;

    public string Description => "ImageNet ResNet18 (ONNX, NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1), 512-d average-pool features";

    public string Preprocessing => $"{ImageResize.Method} to {Size}x{Size}, grey repeated to RGB, 0..255 as BGR minus the package's mean image";

    public int Dimension => 512;

    public int ClassCount => 0;

    /// <summary>The preprocessing model subtracts a fixed mean image; read it off as -prep(0).</summary>
    internal static float[] MeanImage(string prepModel)
    {
        using var prep = new InferenceSession(prepModel);
        var zero = new DenseTensor<float>(new[] { 1, 3, Size, Size });
        using var result = prep.Run(new[] { NamedOnnxValue.CreateFromTensor("OriginalInput", zero) });
        return result[0].AsTensor<float>().ToArray().Select(v => -v).ToArray();
    }

    public FeatureBatch Compute(ReadOnlySpan<byte> images, int count, int channels, int resolution)
    {
        int imageBytes = channels * resolution * resolution, plane = 3 * Size * Size;
        if (images.Length < count * imageBytes) throw new ArgumentException("fewer bytes than images", nameof(images));
        var features = new float[count * Dimension];
        for (int first = 0; first < count; first += BatchSize)
        {
            int n = Math.Min(BatchSize, count - first);
            var input = new float[n * plane];
            var source = images.Slice(first * imageBytes, n * imageBytes).ToArray();
            Parallel.For(0, n, i =>
            {
                var rgb = new float[plane];
                ImageResize.ToRgbPlanes(source.AsSpan(i * imageBytes, imageBytes), channels, resolution, Size, rgb);
                var dest = input.AsSpan(i * plane, plane);
                const int area = Size * Size;
                for (int c = 0; c < 3; c++) // BGR planes minus the mean, as ResNetPreprocess.onnx does
                {
                    var from = rgb.AsSpan((2 - c) * area, area);
                    var to = dest.Slice(c * area, area);
                    var mean = _mean.AsSpan(c * area, area);
                    for (int k = 0; k < area; k++) to[k] = from[k] - mean[k];
                }
            });
            var tensor = new DenseTensor<float>(input, new[] { n, 3, Size, Size });
            using var result = _session.Run(new[] { NamedOnnxValue.CreateFromTensor(InputName, tensor) }, new[] { OutputName });
            var output = result[0].AsTensor<float>();
            if (output.Length != n * Dimension) throw new InvalidOperationException($"ResNet18 returned {output.Length} values for {n} images.");
            int j = first * Dimension;
            foreach (var v in output) features[j++] = v;
        }
        return new FeatureBatch(features, null);
    }

    public void Dispose() => _session.Dispose();
}
