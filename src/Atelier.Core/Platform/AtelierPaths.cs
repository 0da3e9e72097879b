namespace Atelier.Platform;

/// <summary>Where Atelier keeps caches and installed data; overridable for tests and CI.</summary>
public sealed record AtelierPaths(string Home)
{
    /// <summary>ATELIER_HOME, else $XDG_DATA_HOME/atelier, else ~/.local/share/atelier.</summary>
    public static AtelierPaths FromEnvironment()
    {
        var home = Environment.GetEnvironmentVariable("ATELIER_HOME");
        if (string.IsNullOrEmpty(home))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            var baseDir = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
                : xdg;
            home = Path.Combine(baseDir, "atelier");
        }
        return new AtelierPaths(Path.GetFullPath(home));
    }

    /// <summary>Caches that can be deleted at any time (decoded folders, features).</summary>
    public string Cache => Path.Combine(Home, "cache");

    /// <summary>Installed datasets (mnist by scripts/install-data.sh).</summary>
    public string Datasets => Path.Combine(Home, "datasets");

    /// <summary>Cached features of real-data samples, per dataset fingerprint and feature network.</summary>
    public string Features => Path.Combine(Cache, "features");
}
