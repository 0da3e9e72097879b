using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atelier.Imaging;

namespace Atelier.Valuation;

/// <summary>
/// A fitted value model as its folder holds it: value-model.json (this record: what it predicts, the standardisation,
/// the weights, the conformal half-width, the domain distance and the validation report) and training-features.f32
/// (the training works' raw features, little-endian float32, for the domain check; its SHA-256 is in the JSON).
/// </summary>
public sealed record ValueModel
{
    public const string Regression = "regression", Classification = "classification";
    public const string CurrentFormat = "atelier-value-model/1";
    public const string FileName = "value-model.json", FeaturesFileName = "training-features.f32", HeldOutFileName = "validation.csv";

    private static readonly JsonSerializerOptions Json = new(Runs.RunFolder.Json) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string Format { get; init; } = CurrentFormat;

    /// <summary>regression (a number) or classification (yes/no).</summary>
    public required string Task { get; init; }

    /// <summary>The CSV column learned.</summary>
    public required string Target { get; init; }

    /// <summary>True when ln(value) was fitted; predictions and intervals are taken back with exp.</summary>
    public bool Log { get; init; }

    /// <summary>The group column validation was grouped by, or null.</summary>
    public string? Group { get; init; }

    /// <summary>The CSV the model learned from, as given.</summary>
    public required string Csv { get; init; }

    /// <summary>SHA-256 of that CSV's bytes.</summary>
    public required string CsvSha256 { get; init; }

    /// <summary>The feature set, as <see cref="ValueFeatureSet"/> names it.</summary>
    public required string Features { get; init; }

    /// <summary>The network behind the features, or null.</summary>
    public string? Network { get; init; }

    /// <summary>The descriptors, in feature order.</summary>
    public required IReadOnlyList<string> Descriptors { get; init; }

    public double[] Means { get; init; } = [];

    public double[] Scales { get; init; } = [];

    public double Intercept { get; init; }

    /// <summary>Weights on the standardised features (change of the fitted target per standard deviation).</summary>
    public double[] Weights { get; init; } = [];

    /// <summary>The chosen regularisation, as a factor of the Gram matrix's mean eigenvalue.</summary>
    public double Regularisation { get; init; }

    /// <summary>The intervals' coverage (NaN for yes/no).</summary>
    public double Coverage { get; init; } = double.NaN;

    /// <summary>Half the interval's width on the fitted scale (NaN for yes/no).</summary>
    public double IntervalHalfWidth { get; init; } = double.NaN;

    /// <summary>The farthest nearest-other-fold distance validation saw (see <see cref="ValuePrediction.OutsideDomain"/>).</summary>
    public double DomainDistance { get; init; }

    public int TrainingRows { get; init; }

    public string TrainingFeaturesSha256 { get; init; } = "";

    public ValueReport? Validation { get; init; }

    [JsonIgnore]
    internal float[] TrainingFeatures { get; init; } = [];

    /// <summary>The prediction for one work's raw features.</summary>
    public ValuePrediction Predict(double[] features) => Predict([features])[0];

    /// <summary>The predictions for works' raw features; the training works are standardised once for all of them.</summary>
    public IReadOnlyList<ValuePrediction> Predict(IReadOnlyList<double[]> works)
    {
        int p = Means.Length;
        var scale = new Standardiser(Means, Scales);
        var weights = new LinearWeights(Intercept, Weights);
        var training = Enumerable.Range(0, TrainingRows).Select(i => scale.Apply(Array.ConvertAll(TrainingFeatures[(i * p)..((i + 1) * p)], v => (double)v))).ToArray();
        var result = new ValuePrediction[works.Count];
        for (int w = 0; w < works.Count; w++)
        {
            if (works[w].Length != p) throw new ArgumentException($"{works[w].Length} features; the model takes {p}", nameof(works));
            var x = scale.Apply(works[w]);
            double linear = weights.Predict(x);
            double nearest = training.Length == 0 ? double.PositiveInfinity : training.Min(row => Standardiser.Distance(x, row));
            bool outside = nearest > DomainDistance * (1 + 1e-9);
            double lower = linear - IntervalHalfWidth, upper = linear + IntervalHalfWidth;
            result[w] = Task == Classification ? new ValuePrediction(LinearFit.Sigmoid(linear), double.NaN, double.NaN, nearest, outside)
                : Log ? new ValuePrediction(Math.Exp(linear), Math.Exp(lower), Math.Exp(upper), nearest, outside)
                : new ValuePrediction(linear, lower, upper, nearest, outside);
        }
        return result;
    }

    /// <summary>Refuses a folder that already holds a model unless <paramref name="overwrite"/> (checked before a fit starts, and again on saving).</summary>
    public static void RefuseExisting(string folder, bool overwrite)
    {
        if (File.Exists(Path.Combine(folder, FileName)) && !overwrite)
            throw new Platform.OptionException($"--out: '{folder}' already holds a value model; choose another folder or add --force to replace it.");
    }

    /// <summary>The feature set this model was fitted on.</summary>
    public ValueFeatureSet FeatureSet() => Platform.EnumText.Parse<ValueFeatureSet>(Features, FileName, "feature set");

    /// <summary>
    /// Writes the model's folder: the training features, the held-out table and then value-model.json, each through a
    /// temp file; a folder that already holds a model is refused unless <paramref name="overwrite"/>.
    /// </summary>
    public ValueModel Save(string folder, double[][] trainingFeatures, IReadOnlyList<Work> works, IReadOnlyList<HeldOutPrediction> heldOut, bool overwrite = false)
    {
        RefuseExisting(folder, overwrite);
        Directory.CreateDirectory(folder);
        int p = Means.Length;
        var floats = new float[trainingFeatures.Length * p];
        for (int i = 0; i < trainingFeatures.Length; i++)
            for (int j = 0; j < p; j++) floats[i * p + j] = (float)trainingFeatures[i][j];
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("value models are written little-endian");
        var bytes = new byte[floats.Length * sizeof(float)];
        Buffer.BlockCopy(floats, 0, bytes, 0, bytes.Length);
        AtomicFile.WriteAllBytes(Path.Combine(folder, FeaturesFileName), bytes);
        AtomicFile.WriteAllText(Path.Combine(folder, HeldOutFileName), HeldOutTable(works, heldOut));
        var saved = this with { TrainingFeaturesSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), TrainingFeatures = floats };
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(saved, Json) + "\n");
        return saved;
    }

    /// <summary>Reads a model folder; a missing or damaged file fails naming it.</summary>
    public static ValueModel Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"--model: '{folder}' holds no {FileName}; give a folder written by atelier value fit --out.");
        if (new FileInfo(path).Length > 64L << 20) throw new InvalidDataException($"{path}: too large to be a value model.");
        ValueModel model;
        try
        {
            model = JsonSerializer.Deserialize<ValueModel>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a value model ({e.Message}).", e);
        }
        if (model.Format != CurrentFormat) throw new InvalidDataException($"{path}: format '{model.Format}'; this Atelier reads {CurrentFormat}.");
        int p = model.Means.Length;
        if (model.Scales.Length != p || model.Weights.Length != p || model.Descriptors.Count > p)
            throw new InvalidDataException($"{path}: the means, scales and weights disagree in length; refit the model.");
        var featuresPath = Path.Combine(folder, FeaturesFileName);
        if (!File.Exists(featuresPath)) throw new FileNotFoundException($"--model: '{featuresPath}' is missing; refit the model.");
        var bytes = File.ReadAllBytes(featuresPath);
        if (bytes.Length != (long)model.TrainingRows * p * sizeof(float) || Convert.ToHexStringLower(SHA256.HashData(bytes)) != model.TrainingFeaturesSha256)
            throw new InvalidDataException($"{featuresPath}: damaged (its size or SHA-256 is not the one {FileName} records); refit the model.");
        return model with { TrainingFeatures = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray() };
    }

    private string HeldOutTable(IReadOnlyList<Work> works, IReadOnlyList<HeldOutPrediction> heldOut)
    {
        var text = new System.Text.StringBuilder();
        bool yesNo = Task == Classification;
        string ln = Log ? "ln_" : "";
        text.AppendLine(yesNo ? "row,image,group,fold,truth,probability" : $"row,image,group,fold,{ln}truth,{ln}predicted,{ln}lower,{ln}upper");
        foreach (var h in heldOut)
        {
            var work = works[h.Index];
            string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            text.Append(work.Row).Append(',').Append(Quote(work.Image)).Append(',').Append(Quote(work.Group ?? "")).Append(',').Append(h.Fold).Append(',').Append(F(h.Truth)).Append(',').Append(F(h.Predicted));
            if (!yesNo) text.Append(',').Append(F(h.Lower)).Append(',').Append(F(h.Upper));
            text.AppendLine();
        }
        return text.ToString();

        static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
