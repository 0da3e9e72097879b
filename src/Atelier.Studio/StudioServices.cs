using Atelier.Gallery;

namespace Atelier.Studio;

/// <summary>What the endpoints share: the runs, the generator pool, the gallery and the jobs.</summary>
public sealed class StudioServices : IDisposable
{
    public StudioServices(StudioOptions options)
    {
        Options = options;
        Runs = new RunIndex(options.RunsRoot);
        Generators = new GeneratorPool(options);
        Catalog = FavouritesCatalog.Open(options.ResolvedCatalogPath);
        Jobs = new TrainingJobs(options);
    }

    public StudioOptions Options { get; }

    public RunIndex Runs { get; }

    public GeneratorPool Generators { get; }

    public FavouritesCatalog Catalog { get; }

    /// <summary>The catalog's connection is not thread-safe; every use takes this lock.</summary>
    public Lock CatalogLock { get; } = new();

    public TrainingJobs Jobs { get; }

    public void Dispose()
    {
        Jobs.Dispose();
        Generators.Dispose();
        lock (CatalogLock) Catalog.Dispose();
    }
}
