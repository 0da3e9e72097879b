using Atelier.Platform;
using Atelier.Valuation;
using SkiaSharp;

namespace Atelier.Core.Tests.Valuation;

public sealed class ValueModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ModelFolder => _folder.File("model");

    /// <summary>A descriptors-only model of a shapes collection, saved to <see cref="ModelFolder"/>.</summary>
    private (ValueFit Fit, ValueModel Saved) Saved(int count, long seed)
    {
        var table = WorksTable.Read(ValueExample.Write(_folder.File("works"), ValueExampleKind.Shapes, count, seed));
        using var features = new ValueFeatures(ValueFeatureSet.Descriptors);
        var fit = ValueFitter.Fit(table, features, log: false, new ValueFitOptions());
        return (fit, fit.Save(ModelFolder));
    }

    [Fact]
    public void A_saved_model_predicts_what_the_fitted_one_did_and_its_interval_is_the_conformal_width()
    {
        var (fit, saved) = Saved(60, seed: 3);
        var loaded = ValueModel.Load(ModelFolder);
        Assert.Equal(fit.Model.Weights, loaded.Weights);
        Assert.Equal(fit.Report.Verdict, loaded.Validation!.Verdict);
        Assert.Equal("works.csv", loaded.Csv);
        for (int i = 0; i < 5; i++)
        {
            var a = saved.Predict(fit.Features[i]);
            var b = loaded.Predict(fit.Features[i]);
            Assert.Equal(a, b);
            Assert.Equal(2 * loaded.IntervalHalfWidth, b.Upper - b.Lower, 9);
            Assert.False(b.OutsideDomain, "a training work is inside the training domain");
            Assert.Equal(0, b.Distance, 5);
        }
        var heldOut = File.ReadAllLines(Path.Combine(ModelFolder, ValueModel.HeldOutFileName));
        Assert.Equal("row,image,group,fold,truth,predicted,lower,upper", heldOut[0]);
        Assert.Equal(61, heldOut.Length);
    }

    [Fact]
    public void A_picture_unlike_every_training_work_is_flagged_outside_the_domain()
    {
        var (_, model) = Saved(60, seed: 1);
        // A dark, wide, noisy picture: nothing like light grounds with a few flat shapes.
        using var strange = new SKBitmap(new SKImageInfo(300, 60, SKColorType.Rgba8888, SKAlphaType.Premul));
        var random = new Random(5);
        for (int y = 0; y < 60; y++)
            for (int x = 0; x < 300; x++)
                strange.SetPixel(x, y, new SKColor((byte)random.Next(0, 60), (byte)random.Next(0, 60), (byte)random.Next(0, 60)));
        using var features = new ValueFeatures(ValueFeatureSet.Descriptors);
        var prediction = model.Predict(features.Of([strange])[0]);
        Assert.True(prediction.OutsideDomain, $"distance {prediction.Distance} against {model.DomainDistance}");
    }

    [Fact]
    public void A_damaged_or_missing_model_file_is_refused_naming_it()
    {
        Saved(30, seed: 2);
        var path = Path.Combine(ModelFolder, ValueModel.FeaturesFileName);
        var bytes = File.ReadAllBytes(path);
        bytes[17] ^= 1;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ValueModel.Load(ModelFolder));
        Assert.Contains(ValueModel.FeaturesFileName, e.Message);
        Assert.Contains("SHA-256", e.Message);
        Assert.Throws<FileNotFoundException>(() => ValueModel.Load(_folder.File("works")));
        File.WriteAllText(Path.Combine(ModelFolder, ValueModel.FileName), "{ not json");
        Assert.Contains("not a value model", Assert.Throws<InvalidDataException>(() => ValueModel.Load(ModelFolder)).Message);
    }

    [Fact]
    public void Saving_over_a_model_needs_overwrite()
    {
        var (fit, _) = Saved(20, seed: 4);
        var e = Assert.Throws<OptionException>(() => fit.Save(ModelFolder));
        Assert.Contains("--force", e.Message);
        fit.Save(ModelFolder, overwrite: true);
        Assert.Empty(Directory.GetFiles(ModelFolder, "*.tmp"));
    }
}
