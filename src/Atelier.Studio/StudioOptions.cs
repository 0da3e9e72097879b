using System.Diagnostics;

namespace Atelier.Studio;

/// <summary>How `atelier studio` runs: where runs and the catalog live, where it listens, and its limits.</summary>
public sealed record StudioOptions
{
    /// <summary>The folder of runs the Studio shows and trains into (--runs).</summary>
    public required string RunsRoot { get; init; }

    /// <summary>The favourites database (default: runs/.studio/gallery.db).</summary>
    public string? CatalogPath { get; init; }

    /// <summary>Address to bind; loopback unless the user asks (--host).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port (0 = any free port).</summary>
    public int Port { get; init; } = 5173;

    /// <summary>Generation requests waiting for the generator beyond this are answered 503 at once.</summary>
    public int MaxWaiting { get; init; } = 64;

    /// <summary>A generation request that cannot start within this time is answered 503.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Loaded generators kept in memory (least recently used go first).</summary>
    public int CachedGenerators { get; init; } = 4;

    /// <summary>Folders whose images may be trained on from the Studio (besides named datasets).</summary>
    public string? DatasetsRoot { get; init; }

    /// <summary>Starts `atelier train` with the given arguments in a child process; null disables training jobs.</summary>
    public Func<IReadOnlyList<string>, ProcessStartInfo>? TrainLauncher { get; init; }

    /// <summary>Training steps of a run's latent encoder when a projection from the playground does not say (`atelier
    /// project`'s default; trained once per checkpoint, then cached in the run).</summary>
    public int ProjectionEncoderSteps { get; init; } = 1000;

    /// <summary>How often live views look for new metrics and samples.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public string ResolvedCatalogPath => CatalogPath ?? Path.Combine(Path.GetFullPath(RunsRoot), ".studio", "gallery.db");
}
