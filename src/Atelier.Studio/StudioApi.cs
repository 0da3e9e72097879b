using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atelier.Gallery;
using Atelier.Platform;
using Atelier.Sampling;
using Atelier.Training.Log;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Atelier.Studio;

/// <summary>The Studio's JSON and image endpoints. Every parameter is checked here and refused with a 400 that says why.</summary>
internal static partial class StudioApi
{
    public const int MaxGrid = 256;
    public const int MaxFrames = 120;
    public const int MaxDirections = 32;
    public const int MaxEventStreams = 100;
    private static int _eventStreams;

    public static void Map(WebApplication app, StudioServices s)
    {
        app.MapGet("/api/health", () => Results.Json(new
        {
            status = "ok",
            runsRoot = s.Runs.Root,
            generations = new { served = s.Generators.Served, refused = s.Generators.Refused, waiting = s.Generators.Waiting },
            training = s.Jobs.Enabled,
        }));

        app.MapGet("/api/runs", () =>
        {
            var active = s.Jobs.ActiveRuns();
            return Results.Json(new { runs = s.Runs.List().Select(r => active.Contains(r.Name) ? r with { Live = true } : r) });
        });

        app.MapGet("/api/runs/{run}", (string run) =>
        {
            var folder = s.Runs.Open(run);
            var summary = s.Runs.Summary(run);
            if (s.Jobs.ActiveRuns().Contains(run)) summary = summary with { Live = true };
            var options = JsonNode.Parse(File.ReadAllText(folder.OptionsFile));
            return Results.Json(new
            {
                summary,
                options,
                checkpoints = RunIndex.Checkpoints(folder),
                samples = RunIndex.Samples(folder).Select(x => new { step = x.Step, file = x.File }),
                classNames = folder.LoadOptions().ClassNames,
            });
        });

        app.MapGet("/api/runs/{run}/metrics", (string run, HttpContext c) =>
        {
            var folder = s.Runs.Open(run);
            int max = Int(c, "points", 10, 5000, 600);
            return Results.Json(Metrics(s.Runs.Tail(folder.MetricsFile), max));
        });

        app.MapGet("/api/runs/{run}/{folder}/{file}", (string run, string folder, string file, HttpContext c) =>
        {
            var path = RunIndex.File(s.Runs.Open(run), folder, file);
            c.Response.Headers.CacheControl = "no-cache";
            return Results.File(path, "image/png");
        });

        app.MapGet("/api/runs/{run}/events", (string run, HttpContext c) => Events(s, run, c));

        app.MapGet("/api/runs/{run}/directions", async (string run, HttpContext c) =>
        {
            var checkpoint = RunIndex.Checkpoint(s.Runs.Open(run), Text(c, "checkpoint"));
            int k = Int(c, "k", 1, MaxDirections, 5);
            var (directions, eigenvalues) = await s.Generators.Use(checkpoint, Average(c), g => g.DirectionsWithStrength(k), c.RequestAborted);
            double total = eigenvalues.Sum();
            return Results.Json(new { checkpoint = Path.GetFileName(checkpoint), directions = eigenvalues.Select((e, i) => new { index = i, eigenvalue = e, share = total > 0 ? e / total : 0 }) });
        });

        app.MapGet("/api/runs/{run}/grid.png", async (string run, HttpContext c) =>
        {
            var folder = s.Runs.Open(run);
            var checkpoint = RunIndex.Checkpoint(folder, Text(c, "checkpoint"));
            long start = Seed(c, "start", 0);
            int count = Int(c, "count", 1, MaxGrid, 16);
            if (start + count - 1 > uint.MaxValue) throw StudioRequestException.BadRequest($"start: seeds {start}..{start + count - 1} go past {uint.MaxValue}.");
            var recipe = Recipe(c, GenerationKind.Grid, count == 1 ? Inv(start) : $"{Inv(start)}-{Inv(start + count - 1)}") with { Columns = Int(c, "columns", 0, 64, 0) };
            var bytes = await s.Generators.Use(checkpoint, recipe.Average, g => Render(recipe, g, c), c.RequestAborted);
            return Png(c, bytes, $"{run}-seeds-{recipe.Seeds}.png");
        });

        app.MapGet("/api/runs/{run}/image.png", async (string run, HttpContext c) =>
        {
            var folder = s.Runs.Open(run);
            var checkpoint = RunIndex.Checkpoint(folder, Text(c, "checkpoint"));
            long seed = Seed(c, "seed", null);
            var recipe = Recipe(c, GenerationKind.SingleImage, Inv(seed));
            var bytes = await s.Generators.Use(checkpoint, recipe.Average, g => Render(recipe, g, c), c.RequestAborted);
            return Png(c, bytes, $"{run}-seed{seed}.png");
        });

        app.MapGet("/api/runs/{run}/interpolate.gif", async (string run, HttpContext c) =>
        {
            var checkpoint = RunIndex.Checkpoint(s.Runs.Open(run), Text(c, "checkpoint"));
            long a = Seed(c, "a", null), b = Seed(c, "b", null);
            int frames = Int(c, "frames", 2, MaxFrames, 24);
            string? klass = Text(c, "class");
            var bytes = await s.Generators.Use(checkpoint, Average(c), g => InterpolationGif.Render(g, a, b, frames, klass is null ? null : g.ResolveClass(klass)), c.RequestAborted);
            c.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(bytes, "image/gif");
        });

        app.MapGet("/api/favourites", (HttpContext c) =>
        {
            var run = Text(c, "run");
            if (run is not null) s.Runs.Open(run);
            lock (s.CatalogLock) return Results.Json(new { favourites = s.Catalog.List(run) });
        });

        app.MapPost("/api/favourites", async (HttpContext c) =>
        {
            var body = await ReadJson<FavouriteRequest>(c);
            if (body.Projection is string projection) return FavouriteProjection(s, body, projection);
            var folder = s.Runs.Open(body.Run);
            var checkpoint = RunIndex.Checkpoint(folder, body.Checkpoint);
            if (body.Seed is not long seed || seed < 0 || seed > uint.MaxValue) throw StudioRequestException.BadRequest($"seed: give a whole number 0..{uint.MaxValue}.");
            var note = body.Note ?? "";
            if (note.Length > 2000) throw StudioRequestException.BadRequest("note: at most 2000 characters.");
            var recipe = new GenerationRecipe(GenerationKind.SingleImage, Inv(seed), 0, null, null, body.Average ?? true,
                body.Edits is { Length: > 0 } e ? LatentDirections.FormatEdits(LatentDirections.ParseEdits(e)) : null,
                body.Truncation is double psi && psi != 1 ? LatentShape.CheckTruncation(psi, "truncation") : null,
                body.Variation is { Length: > 0 } v ? LatentShape.FormatVariation(LatentShape.ParseVariation(v, "variation")) : null);
            var (bytes, weights, klass) = await s.Generators.Use(checkpoint, recipe.Average, g =>
            {
                var r = body.Class is { Length: > 0 } k ? recipe with { Class = g.ResolveClass(k) } : recipe;
                return (r.Render(g), g.WeightsId, r.Class);
            }, c.RequestAborted);
            var favourite = new Favourite(0, Path.GetFileName(folder.Path), Path.GetFileName(checkpoint), weights, seed, klass,
                recipe.Edits, (recipe with { Class = klass }).ToJson(), DateTimeOffset.UtcNow, note);
            long id;
            lock (s.CatalogLock) id = s.Catalog.Add(favourite, bytes);
            return Results.Json(favourite with { Id = id }, statusCode: 201);
        });

        app.MapGet("/api/favourites/{id}/image.png", (string id, HttpContext c) =>
        {
            long key = Id(id);
            byte[]? bytes;
            lock (s.CatalogLock) bytes = s.Catalog.Image(key);
            if (bytes is null) throw StudioRequestException.NotFound($"favourite {key} does not exist.");
            return Png(c, bytes, $"favourite-{key}.png");
        });

        app.MapDelete("/api/favourites/{id}", (string id) =>
        {
            long key = Id(id);
            bool deleted;
            lock (s.CatalogLock) deleted = s.Catalog.Delete(key);
            return deleted ? Results.NoContent() : throw StudioRequestException.NotFound($"favourite {key} does not exist.");
        });

        app.MapGet("/api/datasets", () => Results.Json(new
        {
            enabled = s.Jobs.Enabled,
            datasets = s.Jobs.Datasets(),
            models = TrainingJobs.Models,
            objectives = TrainingJobs.Objectives,
            evaluationNetworks = TrainingJobs.EvaluationNetworks,
            presets = TrainingJobs.Presets,
            resolutions = TrainingJobs.Resolutions,
            discriminators = TrainingJobs.Discriminators,
            maxSteps = TrainingJobs.MaxSteps,
            defaults = new { dataset = Training.Recipes.TrainingDefaults.Data, model = Training.Recipes.TrainingDefaults.Model, objective = EnumText.Name(Training.Recipes.TrainingDefaults.Objective), steps = Training.Recipes.TrainingDefaults.Steps },
        }));

        app.MapGet("/api/jobs", () => Results.Json(new { jobs = s.Jobs.List() }));

        app.MapGet("/api/jobs/{id}", (string id) => Results.Json(s.Jobs.Get((int)Math.Min(Id(id), int.MaxValue))));

        app.MapPost("/api/jobs", async (HttpContext c) =>
        {
            var body = await ReadJson<JobRequest>(c);
            return Results.Json(s.Jobs.Submit(body with
            {
                Preset = string.IsNullOrEmpty(body.Preset) ? null : body.Preset,
                Discriminator = string.IsNullOrEmpty(body.Discriminator) ? null : body.Discriminator,
                InitFrom = string.IsNullOrEmpty(body.InitFrom) ? null : body.InitFrom,
                Model = string.IsNullOrEmpty(body.Model) && !string.IsNullOrEmpty(body.InitFrom) ? null : body.Model,
            }, s.Runs), statusCode: 202);
        });

        app.MapPost("/api/runs/{name}/evaluate", async (string name, HttpContext c) =>
        {
            // No body at all: the defaults (latest checkpoint, resnet18-imagenet, n = 1000).
            var body = c.Request.ContentType is null && c.Request.ContentLength is null or 0 ? new EvaluationJobRequest() : await ReadJson<EvaluationJobRequest>(c);
            return Results.Json(s.Jobs.SubmitEvaluation(s.Runs, name, body), statusCode: 202);
        });

        app.MapPost("/api/runs/{name}/project", async (string name, HttpContext c) =>
        {
            // The body is the picture itself (any type Atelier decodes); the options are in the query.
            var request = new ProjectionJobRequest(Int(c, "steps", ProjectionJobRequest.MinSteps, ProjectionJobRequest.MaxSteps, 300), Text(c, "strokes") is "1" or "true",
                Int(c, "encoder-steps", ProjectionJobRequest.MinEncoderSteps, ProjectionJobRequest.MaxEncoderSteps, s.Options.ProjectionEncoderSteps));
            var picture = await ReadUpload(c, ProjectionJobRequest.MaxUploadBytes);
            return Results.Json(s.Jobs.SubmitProjection(s.Runs, name, picture, request), statusCode: 202);
        });

        app.MapPost("/api/uploads", async (HttpContext c) =>
        {
            var id = s.Jobs.StoreUpload(await ReadUpload(c, ProjectionJobRequest.MaxUploadBytes));
            return Results.Json(new { id }, statusCode: 201);
        });

        // A block body: an expression lambda of one HttpContext would bind as a RequestDelegate and drop its result.
        app.MapPost("/api/style", async (HttpContext c) =>
        {
            var body = await ReadJson<StyleJobRequest>(c);
            return Results.Json(s.Jobs.SubmitStyle(body), statusCode: 202);
        });

        app.MapGet("/api/styles/{file}", (string file, HttpContext c) =>
        {
            if (!file.EndsWith(".png", StringComparison.Ordinal)) throw StudioRequestException.BadRequest($"'{RunIndex.Clip(file)}' is not a style result.");
            var path = TrainingJobs.StyleFile(s.Options, file[..^4]);
            if (!File.Exists(path)) throw StudioRequestException.NotFound($"no style result {RunIndex.Clip(file)} (yet).");
            c.Response.Headers.CacheControl = "no-cache";
            return Text(c, "download") is "1" or "true" ? Results.File(path, "image/png", SafeFileName($"style-{file}")) : Results.File(path, "image/png");
        });

        app.MapGet("/api/runs/{run}/projections/{id}/{file}", (string run, string id, string file, HttpContext c) =>
        {
            var path = TrainingJobs.ProjectionFile(s.Runs.Open(run), id, file);
            c.Response.Headers.CacheControl = "no-cache";
            var type = Path.GetExtension(file) switch { ".png" => "image/png", ".gif" => "image/gif", _ => "application/json" };
            return Text(c, "download") is "1" or "true" ? Results.File(path, type, SafeFileName($"{run}-{id}-{file}")) : Results.File(path, type);
        });

        app.MapPost("/api/jobs/{id}/cancel", (string id) => Results.Json(s.Jobs.Cancel((int)Math.Min(Id(id), int.MaxValue))));

        app.MapFallback("/api/{**rest}", (HttpContext c) =>
            Results.Json(new { error = $"no API endpoint {c.Request.Method} {RunIndex.Clip(c.Request.Path.Value ?? "")}", status = 404 }, statusCode: 404));
    }

    private sealed record FavouriteRequest(string? Run, string? Checkpoint, long? Seed, string? Edits, double? Truncation, string? Variation, string? Class, bool? Average, string? Note,
        string? Projection = null, int? Rank = null);

    /// <summary>Keeps one of a projection's images (rank 1..3, best first) in the gallery: its PNG as written, with the
    /// recipe it carries (the latent included), so the favourite reproduces like any other.</summary>
    private static IResult FavouriteProjection(StudioServices s, FavouriteRequest body, string projection)
    {
        var folder = s.Runs.Open(body.Run);
        int rank = body.Rank ?? 1;
        if (rank is < 1 or > 3) throw StudioRequestException.BadRequest($"rank: {rank} is outside 1..3.");
        var note = body.Note ?? "";
        if (note.Length > 2000) throw StudioRequestException.BadRequest("note: at most 2000 characters.");
        var bytes = File.ReadAllBytes(TrainingJobs.ProjectionFile(folder, projection, FormattableString.Invariant($"projection-{rank}.png")));
        var text = Imaging.PngText.Read(bytes);
        if (!text.TryGetValue(GenerationRecipe.TextKey, out var recipe) || !text.TryGetValue("Atelier.checkpoint", out var checkpoint) || !text.TryGetValue("Atelier.weights", out var weights))
            throw StudioRequestException.BadRequest($"projection {RunIndex.Clip(projection)}: its image carries no recipe.");
        var favourite = new Favourite(0, Path.GetFileName(folder.Path), checkpoint, weights, 0, null, null, recipe, DateTimeOffset.UtcNow, note);
        long id;
        lock (s.CatalogLock) id = s.Catalog.Add(favourite, bytes);
        return Results.Json(favourite with { Id = id }, statusCode: 201);
    }

    /// <summary>The recipe of an image request: edits, truncation, variation, class, aspect and which weights.</summary>
    private static GenerationRecipe Recipe(HttpContext c, GenerationKind kind, string seeds)
    {
        string? edits = Text(c, "edits") is { Length: > 0 } e ? LatentDirections.FormatEdits(LatentDirections.ParseEdits(e)) : null;
        double? psi = Text(c, "truncation") is string t ? LatentShape.ParseTruncation(t, "truncation") : null;
        if (psi == 1) psi = null;
        string? variation = Text(c, "variation") is { Length: > 0 } v ? LatentShape.FormatVariation(LatentShape.ParseVariation(v, "variation")) : null;
        string? aspect = Text(c, "aspect") is { Length: > 0 } a ? a : null;
        if (aspect is not null) Imaging.AspectCrop.Parse(aspect);
        return new GenerationRecipe(kind, seeds, 0, null, aspect, Average(c), edits, psi, variation);
    }

    private static byte[] Render(GenerationRecipe recipe, TrainedGenerator generator, HttpContext c) =>
        (Text(c, "class") is { Length: > 0 } k ? recipe with { Class = generator.ResolveClass(k) } : recipe).Render(generator);

    private static IResult Png(HttpContext c, byte[] bytes, string name)
    {
        c.Response.Headers.CacheControl = "no-store";
        if (Text(c, "download") is "1" or "true")
            return Results.File(bytes, "image/png", SafeFileName(name));
        return Results.Bytes(bytes, "image/png");
    }

    private static string SafeFileName(string name) => new(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '_' ? ch : '_').ToArray());

    private static object Metrics(MetricsTail tail, int maxPoints)
    {
        var (steps, incidents, evaluations) = tail.Snapshot();
        int stride = Math.Max(1, (int)Math.Ceiling(steps.Count / (double)maxPoints));
        var picked = steps.Where((_, i) => i % stride == 0 || i == steps.Count - 1).ToList();
        return new
        {
            step = picked.Select(r => r.Step),
            lossD = picked.Select(r => Finite(r.LossD)),
            lossG = picked.Select(r => Finite(r.LossG)),
            imgPerSec = picked.Select(r => Finite(r.ImagesPerSecond)),
            psnr = picked.Select(r => Psnr(r)),
            kl = picked.Select(r => r.Kl is double k ? Finite(k) : null),
            fid = evaluations.Where(e => e.Fid is not null).Select(e => new { step = e.Step, fid = e.Fid, network = e.Network, source = e.Source == EvaluationSource.Training ? "training" : "evaluate" }),
            events = incidents.TakeLast(50).Select(e => e.Fields),
            last = steps.Count > 0 ? Row(steps[^1]) : null,
        };
    }

    /// <summary>A step row as the log names its fields; a non-finite value (a diverged step) is null.</summary>
    private static object Row(StepRow r) => new
    {
        step = r.Step, lossD = Finite(r.LossD), lossG = Finite(r.LossG), dReal = Finite(r.RealScore), dFake = Finite(r.FakeScore),
        imgPerSec = Finite(r.ImagesPerSecond), wallSec = Finite(r.WallSeconds), lr = Finite(r.LearningRate), augmentP = r.AugmentProbability,
        psnr = Psnr(r), kl = r.Kl is double k ? Finite(k) : null,
    };

    /// <summary>An autoencoder's training-batch PSNR in dB (from its per-pixel MSE); null for a GAN's row.</summary>
    private static double? Psnr(StepRow r) => r.Reconstruction is double mse ? Finite(Atelier.Metrics.ReconstructionQuality.PsnrOfMse(mse)) : null;

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static async Task<T> ReadJson<T>(HttpContext c)
    {
        if (c.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            throw new StudioRequestException(415, "send the body as application/json.");
        try
        {
            return await c.Request.ReadFromJsonAsync<T>(new JsonSerializerOptions(JsonSerializerDefaults.Web), c.RequestAborted)
                ?? throw StudioRequestException.BadRequest("the body is empty; send a JSON object.");
        }
        catch (JsonException e)
        {
            throw StudioRequestException.BadRequest($"the body is not the JSON expected: {e.Message}");
        }
    }

    /// <summary>The request body as bytes, refused with a 413 above <paramref name="limit"/> (whether or not the client said
    /// its length) and a 400 when empty.</summary>
    private static async Task<byte[]> ReadUpload(HttpContext c, int limit)
    {
        if (c.Request.ContentLength > limit) throw new StudioRequestException(413, $"the picture is {c.Request.ContentLength} bytes; at most {limit} are accepted.");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await c.Request.Body.ReadAsync(chunk, c.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit) throw new StudioRequestException(413, $"the picture is larger than {limit} bytes, the most accepted.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.Length > 0 ? buffer.ToArray() : throw StudioRequestException.BadRequest("picture: the body is empty; send the picture's bytes (PNG, JPEG, WebP, GIF or BMP).");
    }

    private static string? Text(HttpContext c, string name)
    {
        var values = c.Request.Query[name];
        if (values.Count > 1) throw StudioRequestException.BadRequest($"{name}: give it once.");
        var value = values.Count == 1 ? values[0] : null;
        if (value is { Length: > 200 }) throw StudioRequestException.BadRequest($"{name}: too long.");
        return value;
    }

    private static int Int(HttpContext c, string name, int min, int max, int fallback)
    {
        var text = Text(c, name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw StudioRequestException.BadRequest($"{name}: '{RunIndex.Clip(text)}' is not a whole number in {min}..{max}.");
        return value;
    }

    private static long Seed(HttpContext c, string name, long? fallback)
    {
        var text = Text(c, name);
        if (text is null) return fallback ?? throw StudioRequestException.BadRequest($"{name}: a seed is required (0..{uint.MaxValue}).");
        return SeedRange.ParseSeed(text, name);
    }

    private static bool Average(HttpContext c) => Text(c, "weights") switch
    {
        null or "ema" => true,
        "raw" => false,
        var other => throw StudioRequestException.BadRequest($"weights: '{RunIndex.Clip(other)}' is not ema or raw."),
    };

    private static long Id(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw StudioRequestException.BadRequest($"id: '{RunIndex.Clip(text)}' is not a number.");

    private static string Inv(long value) => value.ToString(CultureInfo.InvariantCulture);
}
