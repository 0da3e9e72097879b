using Atelier.Imaging;
using Atelier.Models.Pretrained;
using Atelier.Runs;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Stylization;

/// <summary>
/// The decoders of the fast style path: one per level of the frozen ResNet18 — level 1 is stem+layer1 (64 channels,
/// stride 4), level 2 layer2 (128, stride 8), level 3 layer3 (256, stride 16) — each trained to turn that level's
/// features back into the image (<see cref="DecoderTraining"/>). One safetensors file holds all three, its tensors
/// named "level1.…", "level2.…", "level3.…"; Atelier ships one (models/style-decoders beside its assemblies).
/// </summary>
public sealed class StyleDecoders : Module
{
    public const int Levels = 3;

    /// <summary>The file Atelier ships, trained by scripts/style-decoders.sh (docs/style-transfer.md).</summary>
    public const string DefaultFileName = "resnet18-decoders.safetensors";

    private readonly ModuleList<FeatureDecoder> decoders = new();

    public StyleDecoders() : base(nameof(StyleDecoders))
    {
        for (int level = 1; level <= Levels; level++) decoders.Add(new FeatureDecoder(Channels(level), Stride(level)));
        RegisterComponents();
    }

    /// <summary>models/style-decoders/resnet18-decoders.safetensors beside the Atelier assemblies.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "models", "style-decoders", DefaultFileName);

    /// <summary>Channels of a level's features (ResNet18's stage outputs).</summary>
    public static int Channels(int level) => ResNet18Network.StageChannels[CheckLevel(level) - 1];

    /// <summary>Stride of a level's features.</summary>
    public static int Stride(int level) => 2 << CheckLevel(level);

    /// <summary>Image sides must be multiples of this for every level to invert exactly.</summary>
    public static int Alignment => Stride(Levels);

    public FeatureDecoder this[int level] => decoders[CheckLevel(level) - 1];

    /// <summary>A level's features of preprocessed images (<see cref="ResNet18Network.Preprocess"/>).</summary>
    public static Tensor Encode(ResNet18Network network, Tensor preprocessed, int level) =>
        network.Stages(preprocessed, CheckLevel(level))[level - 1];

    /// <summary>Saved atomically: the same weights give the same bytes.</summary>
    public void Save(string path)
    {
        var state = state_dict();
        AtomicFile.Write(path, stream => SafetensorsFormat.Write(stream, state));
    }

    /// <summary>Reads a decoders file; a missing file, another layout or weights that are not finite fail naming it.</summary>
    public static StyleDecoders Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(path == DefaultPath
                ? $"the style decoders '{path}' are missing; rebuild Atelier (it copies them from assets/style-decoders), or train your own with `atelier style-decoders --data <folder> --out decoders.safetensors` and pass --decoders."
                : $"--decoders: '{path}' does not exist; train one with `atelier style-decoders --data <folder> --out {Path.GetFileName(path)}`.", path);
        var decoders = new StyleDecoders();
        Dictionary<string, Tensor>? tensors = null;
        try
        {
            tensors = SafetensorsFormat.Load(path);
            var expected = decoders.state_dict();
            var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
            var extra = tensors.Keys.Where(k => !expected.ContainsKey(k)).ToList();
            if (missing.Count + extra.Count > 0)
                throw new InvalidDataException($"{path}: not Atelier style decoders ({missing.Count} tensors missing{(missing.Count > 0 ? ", e.g. " + missing[0] : "")}; {extra.Count} unexpected{(extra.Count > 0 ? ", e.g. " + extra[0] : "")}).");
            using var _ = no_grad();
            foreach (var (name, into) in expected)
            {
                var from = tensors[name];
                if (!from.shape.SequenceEqual(into.shape) || from.dtype != into.dtype)
                    throw new InvalidDataException($"{path}: '{name}' is {from.dtype} [{string.Join(", ", from.shape)}] where the decoders have {into.dtype} [{string.Join(", ", into.shape)}].");
                if (!from.isfinite().all().item<bool>()) throw new InvalidDataException($"{path}: '{name}' holds NaN or infinite weights.");
                into.copy_(from);
            }
        }
        catch
        {
            decoders.Dispose();
            throw;
        }
        finally
        {
            if (tensors is not null) foreach (var t in tensors.Values) t.Dispose();
        }
        foreach (var p in decoders.parameters()) p.requires_grad = false;
        decoders.eval();
        return decoders;
    }

    private static int CheckLevel(int level) =>
        level is >= 1 and <= Levels ? level : throw new ArgumentOutOfRangeException(nameof(level), level, $"levels are 1..{Levels}");
}
