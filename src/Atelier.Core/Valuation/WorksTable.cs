using System.Globalization;
using Atelier.Platform;
using CsvHelper;

namespace Atelier.Valuation;

/// <summary>One row of a works CSV: an image file (inside the CSV's folder), its target value and its group.</summary>
/// <param name="Row">The row's line number in the file (the header is line 1), for messages.</param>
/// <param name="Image">The image as the CSV names it, relative to the CSV's folder.</param>
/// <param name="Path">The image's full path.</param>
/// <param name="Target">The value: a number, or 0/1 for a yes/no column.</param>
/// <param name="Group">The artist or series (--group), or null.</param>
public sealed record Work(int Row, string Image, string Path, double Target, string? Group);

/// <summary>
/// A CSV of works: a column naming image files relative to the CSV's folder, one numeric or yes/no target column and
/// optionally a group column. Every mistake is an <see cref="InvalidDataException"/> naming the file, the row and what
/// to do; the file is read with CsvHelper (RFC 4180 quoting) and bounded in size and rows.
/// </summary>
public sealed class WorksTable
{
    /// <summary>Largest CSV read (16 MiB), so a wrong file cannot take the memory.</summary>
    public const long MaxBytes = 16L << 20;

    /// <summary>Most rows read.</summary>
    public const int MaxRows = 100_000;

    /// <summary>Column names taken as the image column, in order of preference.</summary>
    public static IReadOnlyList<string> ImageColumns { get; } = ["image", "file", "path", "filename"];

    private static readonly string[] YesWords = ["yes", "true", "y", "sold"], NoWords = ["no", "false", "n", "unsold"];

    private WorksTable(string path, string target, string? group, bool isYesNo, IReadOnlyList<Work> works, IReadOnlyList<string> columns)
    {
        CsvPath = path;
        TargetColumn = target;
        GroupColumn = group;
        IsYesNo = isYesNo;
        Works = works;
        Columns = columns;
    }

    /// <summary>The CSV's full path.</summary>
    public string CsvPath { get; }

    /// <summary>The target column's name.</summary>
    public string TargetColumn { get; }

    /// <summary>The group column's name, or null.</summary>
    public string? GroupColumn { get; }

    /// <summary>True when the target is yes/no (1/0, yes/no, true/false, sold/unsold): a classifier is fitted.</summary>
    public bool IsYesNo { get; }

    /// <summary>The rows, in file order.</summary>
    public IReadOnlyList<Work> Works { get; }

    /// <summary>The header's columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// Reads <paramref name="csvPath"/>. <paramref name="target"/> null takes the only column that is neither the image
    /// nor the group column; <paramref name="log"/> requires every target to be positive (it is fitted as log(value)).
    /// </summary>
    public static WorksTable Read(string csvPath, string? target = null, string? group = null, bool log = false)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"--data: '{csvPath}' does not exist; give a CSV whose rows name image files and their values.");
        var full = System.IO.Path.GetFullPath(csvPath);
        var length = new FileInfo(full).Length;
        if (length > MaxBytes) throw new InvalidDataException($"{csvPath}: {length / (1 << 20)} MiB is larger than the {MaxBytes >> 20} MiB a works CSV may be.");
        var folder = System.IO.Path.GetDirectoryName(full)!;

        var options = new CsvReaderOptions
        {
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw, // "1.200,50" unquoted is two fields, not a price
            MaxRecordSize = 1 << 20,
        };
        using var csv = CsvReader.FromFile(full, options, FileOptions.SequentialScan);
        string[] columns;
        try
        {
            csv.ReadHeader();
            columns = [.. csv.Headers.Select(h => h.Trim())];
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{csvPath}: line {e.LineNumber}: {e.Message} Quote a field that holds commas as \"a, b\" and double any quote inside it.", e);
        }
        if (columns.Length == 0 || columns.All(c => c.Length == 0))
            throw new InvalidDataException($"{csvPath}: the file is empty; its first line names the columns, e.g. image,price.");
        int imageIndex = FindImageColumn(csvPath, columns);
        int groupIndex = -1;
        if (group is not null && (groupIndex = Array.FindIndex(columns, c => c.Equals(group, StringComparison.OrdinalIgnoreCase))) < 0)
            throw new InvalidDataException($"--group: {csvPath} has no column '{group}'; its columns are {string.Join(", ", columns)}.");
        int targetIndex = FindTargetColumn(csvPath, columns, target, imageIndex, groupIndex);

        var rows = new List<(int Row, string Image, string Path, string Value, string? Group)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (Next(csv, csvPath))
        {
            int row = (int)csv.LineNumber;
            var record = Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToArray();
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            if (rows.Count == MaxRows) throw new InvalidDataException($"{csvPath}: more than {MaxRows:N0} rows; split the collection.");
            string Field(int i, string what) => i < record.Length && record[i].Trim() is { Length: > 0 } v
                ? v
                : throw new InvalidDataException($"{csvPath}: row {row}: the {what} column '{columns[i]}' is empty.");
            var image = Field(imageIndex, "image");
            var path = SafePath.Resolve(folder, string.Join('/', image.Replace('\\', '/').Split('/').SkipWhile(part => part == ".")))
                ?? throw new InvalidDataException($"{csvPath}: row {row}: '{image}' is not inside the CSV's folder {folder}; name images relative to the CSV, without '..' or absolute paths.");
            if (!File.Exists(path)) throw new InvalidDataException($"{csvPath}: row {row}: the image '{image}' does not exist in {folder}.");
            var real = Data.FolderWalk.RealPath(path);
            if (seen.TryGetValue(real, out var first)) throw new InvalidDataException($"{csvPath}: row {row}: '{image}' is the same image as row {first}; give each work once.");
            seen[real] = row;
            rows.Add((row, image, path, Field(targetIndex, "target"), groupIndex < 0 ? null : Field(groupIndex, "group")));
        }
        if (rows.Count < 2) throw new InvalidDataException($"{csvPath}: {rows.Count} row{(rows.Count == 1 ? "" : "s")} of works; a value model needs many (at least 10 for 5-fold cross-validation).");

        bool yesNo = rows.All(r => ParseYesNo(r.Value) is not null) && rows.Select(r => ParseYesNo(r.Value)).Distinct().Count() == 2;
        var works = new List<Work>(rows.Count);
        foreach (var (row, image, path, text, groupName) in rows)
        {
            double value;
            if (yesNo) value = ParseYesNo(text)!.Value;
            else if (!double.TryParse(text.Replace("$", "").Replace("€", "").Replace("£", ""), NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
                throw new InvalidDataException($"{csvPath}: row {row}: the target '{columns[targetIndex]}' is '{text}', not a number (write 1200.50, not 1.200,50; yes/no columns may hold only yes/no, true/false or 1/0).");
            if (log && !yesNo && value <= 0)
                throw new InvalidDataException($"{csvPath}: row {row}: --log needs positive values, and '{columns[targetIndex]}' is {text}; remove the row or fit without --log.");
            works.Add(new Work(row, image, path, value, groupName));
        }
        if (!yesNo && works.Select(w => w.Target).Distinct().Count() == 1)
            throw new InvalidDataException($"{csvPath}: every row's '{columns[targetIndex]}' is {works[0].Target.ToString(CultureInfo.InvariantCulture)}; there is nothing to predict.");
        return new WorksTable(full, columns[targetIndex], groupIndex < 0 ? null : columns[groupIndex], yesNo, works, columns);
    }

    private static bool Next(CsvReader csv, string csvPath)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{csvPath}: line {e.LineNumber}: {e.Message} Quote a field that holds commas as \"a, b\" and double any quote inside it.", e);
        }
    }

    /// <summary>1 for yes/true/1/sold, 0 for no/false/0/unsold, null otherwise.</summary>
    internal static double? ParseYesNo(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "1" || YesWords.Contains(t)) return 1;
        if (t == "0" || NoWords.Contains(t)) return 0;
        return null;
    }

    private static int FindImageColumn(string csvPath, string[] columns)
    {
        foreach (var name in ImageColumns)
        {
            int i = Array.FindIndex(columns, c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (i >= 0) return i;
        }
        throw new InvalidDataException($"{csvPath}: no image column; name the column of file names one of {string.Join(", ", ImageColumns)} (its columns are {string.Join(", ", columns)}).");
    }

    private static int FindTargetColumn(string csvPath, string[] columns, string? target, int imageIndex, int groupIndex)
    {
        if (target is not null)
        {
            int i = Array.FindIndex(columns, c => c.Equals(target, StringComparison.OrdinalIgnoreCase));
            if (i < 0) throw new InvalidDataException($"--target: {csvPath} has no column '{target}'; its columns are {string.Join(", ", columns)}.");
            if (i == imageIndex || i == groupIndex) throw new InvalidDataException($"--target: '{target}' is the {(i == imageIndex ? "image" : "group")} column.");
            return i;
        }
        var others = Enumerable.Range(0, columns.Length).Where(i => i != imageIndex && i != groupIndex).ToArray();
        return others.Length == 1
            ? others[0]
            : throw new InvalidDataException($"--target: {csvPath} has {(others.Length == 0 ? "no column" : "several columns")} besides the image{(groupIndex < 0 ? "" : " and group")} ({string.Join(", ", others.Select(i => columns[i]))}); name the value to learn with --target.");
    }
}
