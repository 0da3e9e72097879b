using Atelier.Imaging;
using Atelier.Valuation;

namespace Atelier.Core.Tests.Valuation;

public sealed class WorksTableTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public WorksTableTests()
    {
        Directory.CreateDirectory(_folder.File("images"));
        for (int i = 0; i < 4; i++)
        {
            using var bitmap = TestImages.Gradient(8 + i, 8);
            File.WriteAllBytes(_folder.File($"images/w{i}.png"), ImageCodec.EncodePng(bitmap));
        }
    }

    public void Dispose() => _folder.Dispose();

    private string Csv(string text, string name = "works.csv")
    {
        var path = _folder.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private InvalidDataException Refused(string text, string? target = null, string? group = null, bool log = false) =>
        Assert.Throws<InvalidDataException>(() => WorksTable.Read(Csv(text), target, group, log));

    [Fact]
    public void Reads_images_relative_to_the_csv_with_quoted_fields_and_groups()
    {
        var table = WorksTable.Read(Csv("image,price,artist\nimages/w0.png,\"1,200.50\",\"Smith, J.\"\nimages/w1.png,$300,Lee\n\nimages/w2.png,45,Lee\n"), "price", "artist");
        Assert.Equal("price", table.TargetColumn);
        Assert.False(table.IsYesNo);
        Assert.Equal([1200.5, 300, 45], table.Works.Select(w => w.Target));
        Assert.Equal(["Smith, J.", "Lee", "Lee"], table.Works.Select(w => w.Group));
        Assert.Equal([2, 3, 5], table.Works.Select(w => w.Row)); // file lines: the header is 1, the blank line 4
        Assert.Equal(Path.Combine(_folder.Path, "images", "w1.png"), table.Works[1].Path);
    }

    [Fact]
    public void A_yes_no_column_makes_a_classifier_and_the_only_other_column_is_the_target()
    {
        var table = WorksTable.Read(Csv("file,sold\nimages/w0.png,yes\nimages/w1.png,No\nimages/w2.png,TRUE\n"));
        Assert.True(table.IsYesNo);
        Assert.Equal("sold", table.TargetColumn);
        Assert.Equal([1.0, 0, 1], table.Works.Select(w => w.Target));
    }

    [Fact]
    public void A_missing_image_is_refused_naming_its_row()
    {
        var e = Refused("image,value\nimages/w0.png,1\nimages/gone.png,2\n");
        Assert.Contains("row 3", e.Message);
        Assert.Contains("'images/gone.png' does not exist", e.Message);
    }

    [Fact]
    public void A_target_that_is_not_a_number_is_refused_naming_its_row_and_value()
    {
        var e = Refused("image,value\nimages/w0.png,1\nimages/w1.png,12\nimages/w2.png,about ten\n");
        Assert.Contains("row 4", e.Message);
        Assert.Contains("'about ten', not a number", e.Message);
    }

    [Fact]
    public void A_row_with_more_fields_than_the_header_is_refused_naming_its_line()
    {
        var e = Refused("image,value\nimages/w0.png,1\nimages/w1.png,1.200,50\n");
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void The_same_image_twice_is_refused_naming_both_rows()
    {
        var e = Refused("image,value\nimages/w0.png,1\nimages/w1.png,2\n./images/w0.png,3\n");
        Assert.Contains("row 4", e.Message);
        Assert.Contains("same image as row 2", e.Message);
    }

    [Fact]
    public void A_single_row_is_refused()
    {
        var e = Refused("image,value\nimages/w0.png,1\n");
        Assert.Contains("1 row of works", e.Message);
    }

    [Theory]
    [InlineData("../outside.png")]
    [InlineData("images/../../outside.png")]
    [InlineData("/etc/passwd")]
    public void A_path_that_escapes_the_csvs_folder_is_refused_naming_its_row(string image)
    {
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(_folder.Path)!, "outside.png"), [1]);
        var e = Refused($"image,value\nimages/w0.png,1\n{image},2\n");
        Assert.Contains("row 3", e.Message);
        Assert.Contains("is not inside the CSV's folder", e.Message);
    }

    [Fact]
    public void A_link_that_leads_out_of_the_folder_is_refused()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"atelier-outside-{Guid.NewGuid():N}.png");
        File.Copy(_folder.File("images/w0.png"), outside);
        try
        {
            File.CreateSymbolicLink(_folder.File("images/link.png"), outside);
            var e = Refused("image,value\nimages/w0.png,1\nimages/link.png,2\n");
            Assert.Contains("row 3", e.Message);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void Columns_are_checked_before_any_row()
    {
        Assert.Contains("no image column", Refused("picture,value\nimages/w0.png,1\n").Message);
        Assert.Contains("several columns besides the image", Refused("image,price,likes\nimages/w0.png,1,2\nimages/w1.png,1,2\n").Message);
        Assert.Contains("--target: ", Refused("image,price\nimages/w0.png,1\nimages/w1.png,2\n", target: "cost").Message);
        Assert.Contains("--group: ", Refused("image,price\nimages/w0.png,1\nimages/w1.png,2\n", group: "artist").Message);
        Assert.Contains("the file is empty", Refused("").Message);
    }

    [Fact]
    public void Empty_fields_log_of_non_positive_values_and_constant_targets_are_refused()
    {
        Assert.Contains("row 3: the target column 'value' is empty", Refused("image,value\nimages/w0.png,1\nimages/w1.png,\n").Message);
        Assert.Contains("row 3: --log needs positive values", Refused("image,value\nimages/w0.png,5\nimages/w1.png,-3\n", log: true).Message);
        Assert.Contains("nothing to predict", Refused("image,value\nimages/w0.png,7\nimages/w1.png,7\n").Message);
    }

    [Fact]
    public void A_quote_out_of_place_is_refused_naming_the_line()
    {
        var e = Refused("image,value\nimages/w0.png,1\n\"images/w1.png,2\nimages/w2.png,3\n");
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void A_file_larger_than_the_bound_is_refused_unread()
    {
        var path = _folder.File("big.csv");
        using (var stream = File.Create(path)) stream.SetLength(WorksTable.MaxBytes + 1);
        var e = Assert.Throws<InvalidDataException>(() => WorksTable.Read(path));
        Assert.Contains("larger than the 16 MiB", e.Message);
    }
}
