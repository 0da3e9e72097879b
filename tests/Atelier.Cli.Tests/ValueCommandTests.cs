using Atelier.Valuation;
using SkiaSharp;

namespace Atelier.Cli.Tests;

public sealed class ValueCommandTests
{
    [Fact]
    public void Example_fit_and_predict_work_end_to_end_and_say_the_verdict()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        var (code, output, error) = cli.Run("value", "example", "--kind", "shapes", "--count", "80", "--out", works);
        Assert.True(code == 0, error + output);
        Assert.Contains("wrote 80 works", output);

        var model = cli.PathOf("model");
        (code, output, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--features", "descriptors", "--out", model);
        Assert.True(code == 0, error + output);
        Assert.Contains("80 works from", output);
        Assert.Contains("cross-validation: 5 folds of works; numbers on value", output);
        Assert.Contains("verdict: better than the baseline: R²", output);
        Assert.Contains("90% conformal intervals covered", output);
        Assert.Contains("descriptors that matter", output);
        Assert.True(File.Exists(Path.Combine(model, ValueModel.FileName)));

        (code, output, error) = cli.Run("value", "predict", "--model", model, Path.Combine(works, "images", "work00001.png"), Path.Combine(works, "images"));
        Assert.True(code == 0, error + output);
        Assert.Equal(81, output.Split('\n').Count(l => l.Contains("work000", StringComparison.Ordinal) && l.Contains('[')));
        Assert.DoesNotContain("unlike every training work", output);

        // Again into the same folder: refused without --force, and the model is untouched.
        var before = File.ReadAllBytes(Path.Combine(model, ValueModel.FileName));
        (code, _, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--features", "descriptors", "--out", model);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--force", error);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(model, ValueModel.FileName)));
    }

    [Fact]
    public void Shuffled_values_exit_zero_with_the_plain_verdict_and_predict_warns()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--kind", "shuffled", "--count", "80", "--out", works).Code);
        var (code, output, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--features", "descriptors", "--out", cli.PathOf("model"));
        Assert.True(code == 0, error + output);
        Assert.Contains("verdict: no better than the baseline", output);
        (code, output, error) = cli.Run("value", "predict", "--model", cli.PathOf("model"), Path.Combine(works, "images", "work00000.png"));
        Assert.Equal(0, code);
        Assert.Contains("no better than the baseline", error);
    }

    [Fact]
    public void A_collection_with_an_artist_column_suggests_grouping()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--kind", "artists", "--count", "40", "--out", works).Code);
        var (code, output, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--target", "price", "--log", "--features", "descriptors", "--out", cli.PathOf("model"));
        Assert.True(code == 0, error + output);
        Assert.Contains("warning: column 'artist' looks like a group", error);
        Assert.Contains("numbers on ln(price)", output);
        (code, output, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--log", "--group", "artist", "--features", "descriptors", "--out", cli.PathOf("grouped"));
        Assert.True(code == 0, error + output);
        Assert.Contains("grouped by artist (6 groups)", output);
        Assert.DoesNotContain("looks like a group", error);
    }

    [Theory]
    [InlineData("image,value\nimages/work00000.png,1\nimages/missing.png,2\n", "row 3: the image 'images/missing.png' does not exist")]
    [InlineData("image,value\nimages/work00000.png,1\nimages/work00001.png,lots\n", "row 3: the target 'value' is 'lots', not a number")]
    [InlineData("image,value\nimages/work00000.png,1\nimages/work00000.png,2\n", "row 3: 'images/work00000.png' is the same image as row 2")]
    [InlineData("image,value\nimages/work00000.png,1\n", "1 row of works")]
    [InlineData("image,value\nimages/work00000.png,1\n../../etc/passwd,2\n", "row 3: '../../etc/passwd' is not inside the CSV's folder")]
    public void A_bad_csv_exits_2_naming_the_row_and_leaves_nothing(string csv, string message)
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--count", "3", "--out", works).Code);
        File.WriteAllText(Path.Combine(works, "bad.csv"), csv);
        var (code, _, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "bad.csv"), "--out", cli.PathOf("model"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(cli.PathOf("model")));
    }

    [Fact]
    public void An_unreadable_image_exits_2_naming_its_row()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--count", "12", "--out", works).Code);
        File.WriteAllText(Path.Combine(works, "images", "work00004.png"), "not a picture");
        var (code, _, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--features", "descriptors", "--out", cli.PathOf("model"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("row 6: 'images/work00004.png'", error);
        Assert.False(Directory.Exists(cli.PathOf("model")));
    }

    [Fact]
    public void Predict_ranks_a_runs_images_and_writes_a_labelled_best_of_grid()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--count", "40", "--out", works).Code);
        Assert.Equal(0, cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--features", "descriptors", "--out", cli.PathOf("model")).Code);
        var run = cli.TinyRun("run");
        var grid = cli.PathOf("best-of.png");
        var (code, output, error) = cli.Run("value", "predict", "--model", cli.PathOf("model"), "--run", run, "--seeds", "0-19", "--top", "3", "--grid", grid);
        Assert.True(code == 0, error + output);
        Assert.Contains("20 images of", output);
        var best = output.Split('\n').Where(l => l.StartsWith("best ", StringComparison.Ordinal)).ToArray();
        var worst = output.Split('\n').Where(l => l.StartsWith("worst ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, best.Length);
        Assert.Equal(3, worst.Length);
        double Value(string line) => double.Parse(line.Split("  ", StringSplitOptions.RemoveEmptyEntries)[^1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Value(best[0]) >= Value(best[2]) && Value(best[2]) >= Value(worst[0]), string.Join("\n", best.Concat(worst)));
        // Two rows of three 32×32 images at scale 3, with captions.
        using (var bitmap = SKBitmap.Decode(grid))
        {
            Assert.Equal(2 + 3 * (96 + 2), bitmap.Width);
            Assert.True(bitmap.Height > 2 + 2 * (96 + 2));
        }
        var xmp = MetadataExtractor.ImageMetadataReader.ReadMetadata(grid).OfType<MetadataExtractor.Formats.Xmp.XmpDirectory>().Single();
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", xmp.XmpMeta?.GetPropertyString(Imaging.XmpPacket.IptcExtensionNamespace, "DigitalSourceType"));
        // The same seeds rank the same, bit for bit.
        var again = cli.Run("value", "predict", "--model", cli.PathOf("model"), "--run", run, "--seeds", "0-19", "--top", "3");
        Assert.Equal(output.Split('\n').Where(l => l.StartsWith("best", StringComparison.Ordinal) || l.StartsWith("worst", StringComparison.Ordinal)),
            again.Out.Split('\n').Where(l => l.StartsWith("best", StringComparison.Ordinal) || l.StartsWith("worst", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_sample_csv_of_the_docs_fits_by_price_and_by_sold()
    {
        using var cli = new CliHarness();
        var csv = Path.Combine(Golden.RepositoryRoot(), "samples", "value", "works.csv");
        var (code, output, error) = cli.Run("value", "fit", "--data", csv, "--target", "price", "--log", "--group", "artist", "--features", "descriptors", "--out", cli.PathOf("model"));
        Assert.True(code == 0, error + output);
        Assert.Contains("12 works from", output);
        Assert.Contains("3 folds grouped by artist (3 groups)", output);
        Assert.Contains("verdict: ", output);
        (code, output, error) = cli.Run("value", "fit", "--data", csv, "--target", "sold", "--features", "descriptors", "--out", cli.PathOf("sold"));
        Assert.True(code == 0, error + output);
        Assert.Contains("yes/no: logistic regression", output);
    }

    [Fact]
    public void Predict_needs_images_or_a_run_but_not_both()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--count", "12", "--out", works).Code);
        Assert.Equal(0, cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--features", "descriptors", "--out", cli.PathOf("model")).Code);
        var (code, _, error) = cli.Run("value", "predict", "--model", cli.PathOf("model"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("give images or folders to score", error);
        (code, _, error) = cli.Run("value", "predict", "--model", cli.PathOf("model"), cli.PathOf("nowhere.png"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'" + cli.PathOf("nowhere.png") + "' is neither an image file nor a folder", error);
        (code, _, error) = cli.Run("value", "predict", "--model", works, Path.Combine(works, "images"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("holds no value-model.json", error);
    }
}

public sealed class ValueExplainCommandTests
{
    [Fact]
    public void Explain_writes_a_report_with_the_verdict_contributions_and_saliency_sheets()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--count", "40", "--out", works).Code);
        var (code, output, error) = cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--out", cli.PathOf("model"));
        Assert.True(code == 0, error + output);
        var odd = Path.Combine(cli.Folder, "<b>odd & name.png");
        File.Copy(Path.Combine(works, "images", "work00002.png"), odd);
        (code, output, error) = cli.Run("value", "explain", "--model", cli.PathOf("model"), odd, Path.Combine(works, "images", "work00005.png"), "--out", cli.PathOf("explained"));
        Assert.True(code == 0, error + output);
        Assert.Contains("most: ", output);
        var html = File.ReadAllText(cli.PathOf("explained/report.html"));
        Assert.Contains("Verdict: better than the baseline", html);
        Assert.Contains("&lt;b&gt;odd &amp; name.png", html);
        Assert.DoesNotContain("<b>odd", html);
        Assert.Contains("the 512 ResNet18 features together", html);
        Assert.Contains("What this can and cannot mean", html);
        foreach (var picture in new[] { "importance.png", "saliency-001.png", "saliency-002.png" })
        {
            Assert.Contains($"src=\"{picture}\"", html);
            using var bitmap = SKBitmap.Decode(cli.PathOf("explained/" + picture));
            Assert.NotNull(bitmap);
        }
    }

    [Fact]
    public void A_descriptors_model_is_explained_without_saliency()
    {
        using var cli = new CliHarness();
        var works = cli.PathOf("works");
        Assert.Equal(0, cli.Run("value", "example", "--count", "20", "--out", works).Code);
        Assert.Equal(0, cli.Run("value", "fit", "--data", Path.Combine(works, "works.csv"), "--features", "descriptors", "--out", cli.PathOf("model")).Code);
        var (code, output, error) = cli.Run("value", "explain", "--model", cli.PathOf("model"), Path.Combine(works, "images", "work00001.png"), "--out", cli.PathOf("explained"));
        Assert.True(code == 0, error + output);
        Assert.False(File.Exists(cli.PathOf("explained/saliency-001.png")));
        Assert.DoesNotContain("ResNet18 features together", File.ReadAllText(cli.PathOf("explained/report.html")));
    }
}
