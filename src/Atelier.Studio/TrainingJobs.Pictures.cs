using System.Globalization;
using System.Text.RegularExpressions;
using Atelier.Runs;

namespace Atelier.Studio;

/// <summary>The Studio's picture jobs: projecting an uploaded picture into a run, restyling one, and their files.</summary>
public sealed partial class TrainingJobs
{
    /// <summary>
    /// Queues `atelier project` of an uploaded picture into the run <paramref name="name"/>. The picture is checked and
    /// kept by <see cref="StoreUpload"/>; the same picture and options give the same folder, so asking again reprojects
    /// into it (with the same result: projection is deterministic).
    /// </summary>
    public JobView SubmitProjection(RunIndex runs, string name, byte[] picture, ProjectionJobRequest request)
    {
        if (!Enabled) throw new StudioRequestException(409, "jobs from the Studio are off in this server.");
        var run = runs.Open(name);
        if (run.Checkpoints.List().Count == 0) throw StudioRequestException.BadRequest($"run: '{RunIndex.Clip(name)}' has no checkpoint to project into yet.");
        if (request.Steps is < ProjectionJobRequest.MinSteps or > ProjectionJobRequest.MaxSteps)
            throw StudioRequestException.BadRequest($"steps: {request.Steps} is outside {ProjectionJobRequest.MinSteps}..{ProjectionJobRequest.MaxSteps}.");
        if (request.EncoderSteps is < ProjectionJobRequest.MinEncoderSteps or > ProjectionJobRequest.MaxEncoderSteps)
            throw StudioRequestException.BadRequest($"encoder-steps: {request.EncoderSteps} is outside {ProjectionJobRequest.MinEncoderSteps}..{ProjectionJobRequest.MaxEncoderSteps}.");
        var hash = StoreUpload(picture);
        var input = Path.Combine(UploadsFolder(_options), hash + ".png");
        var id = request.Id(hash);
        List<string> args = ["project", "--run", run.Path, "--image", input, "--out", Path.Combine(run.Path, "projection", id),
            "--steps", request.Steps.ToString(CultureInfo.InvariantCulture),
            "--encoder-steps", request.EncoderSteps.ToString(CultureInfo.InvariantCulture), .. request.Strokes ? (string[])["--mask", "strokes"] : []];
        return Enqueue(jobId => new Job(jobId, JobKind.Project, null, null, args) { Run = name, Projection = request, Result = id });
    }

    /// <summary>
    /// Checks an uploaded picture by decoding it (bounded by <see cref="Imaging.ImageLimits"/>; a bad, huge or hostile
    /// file is a 400 and is not stored) and keeps it, re-encoded as PNG, under the first 16 hex digits of its SHA-256 in
    /// <see cref="UploadsFolder"/>; returns that id.
    /// </summary>
    public string StoreUpload(byte[] picture)
    {
        byte[] png;
        try
        {
            using var bitmap = Imaging.ImageCodec.Decode(picture, "the uploaded picture");
            png = Imaging.ImageCodec.EncodePng(bitmap);
        }
        catch (Imaging.ImageDecodeException e)
        {
            throw StudioRequestException.BadRequest($"picture: {e.Message}");
        }
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(png)).ToLowerInvariant()[..16];
        var folder = UploadsFolder(_options);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, hash + ".png");
        if (!File.Exists(path)) Imaging.AtomicFile.WriteAllBytes(path, png);
        return hash;
    }

    /// <summary>Queues `atelier style` of two uploads; the result goes to <see cref="StyleFile"/> of its id.</summary>
    public JobView SubmitStyle(StyleJobRequest request)
    {
        if (!Enabled) throw new StudioRequestException(409, "jobs from the Studio are off in this server.");
        string Upload(string? id, string field) =>
            id is not null && UploadId().IsMatch(id) && Path.Combine(UploadsFolder(_options), id + ".png") is var path && File.Exists(path)
                ? path : throw StudioRequestException.BadRequest($"{field}: '{RunIndex.Clip(id ?? "")}' is not an uploaded picture (POST /api/uploads returns the id).");
        var content = Upload(request.Content, "content");
        var style = Upload(request.Style, "style");
        if (request.Size is < StyleJobRequest.MinSize or > StyleJobRequest.MaxSize)
            throw StudioRequestException.BadRequest($"size: {request.Size} is outside {StyleJobRequest.MinSize}..{StyleJobRequest.MaxSize}.");
        if (request.Steps is < StyleJobRequest.MinSteps or > StyleJobRequest.MaxSteps)
            throw StudioRequestException.BadRequest($"steps: {request.Steps} is outside {StyleJobRequest.MinSteps}..{StyleJobRequest.MaxSteps}.");
        if (!(request.Strength > 0 && request.Strength <= 100)) throw StudioRequestException.BadRequest($"strength: {request.Strength} must be above 0 and at most 100.");
        var id = request.Id();
        var output = StyleFile(_options, id);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        List<string> args = ["style", "--content", content, "--style", style, "--out", output, "--size", request.Size.ToString(CultureInfo.InvariantCulture),
            "--steps", request.Steps.ToString(CultureInfo.InvariantCulture), "--strength", request.Strength.ToString("R", CultureInfo.InvariantCulture),
            .. request.PreserveColor ? (string[])["--preserve-color"] : []];
        return Enqueue(jobId => new Job(jobId, JobKind.Style, null, null, args) { Style = request, Result = id });
    }

    /// <summary>Where a style transfer's result is kept: the Studio's own folder.</summary>
    public static string StyleFile(StudioOptions options, string id)
    {
        if (!UploadId().IsMatch(id)) throw StudioRequestException.BadRequest($"'{RunIndex.Clip(id)}' is not a style result id.");
        return Path.Combine(Path.GetFullPath(options.RunsRoot), ".studio", "styles", id + ".png");
    }

    /// <summary>Where uploaded pictures are kept: the Studio's own folder beside its gallery, not a run's.</summary>
    public static string UploadsFolder(StudioOptions options) => Path.Combine(Path.GetFullPath(options.RunsRoot), ".studio", "uploads");

    /// <summary>The folder of a projection's results and one of its files, or a 400/404 that says why.</summary>
    public static string ProjectionFile(RunFolder run, string id, string file)
    {
        if (!ProjectionId().IsMatch(id)) throw StudioRequestException.BadRequest($"'{RunIndex.Clip(id)}' is not a projection id.");
        if (!ProjectionJobRequest.Files.Contains(file)) throw StudioRequestException.BadRequest($"'{RunIndex.Clip(file)}' is not a file a projection writes.");
        var path = Path.Combine(run.Path, "projection", id, file);
        return File.Exists(path) ? RunIndex.Inside(run, path) : throw StudioRequestException.NotFound($"the projection {id} has no {file} (yet).");
    }

    [GeneratedRegex(@"^[0-9a-f]{16}$")]
    private static partial Regex UploadId();

    [GeneratedRegex(@"^[0-9a-f]{16}-s[0-9]{1,5}-e[0-9]{1,6}(-strokes)?$")]
    private static partial Regex ProjectionId();
}
