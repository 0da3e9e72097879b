using Atelier.Cli.Commands;
using Atelier.Studio;

namespace Atelier.Cli.Tests.Studio;

/// <summary>A tiny trained run and a Studio serving it on a free loopback port, shared by the Studio tests.</summary>
public sealed class StudioFixture : IAsyncLifetime
{
    public const string RunName = "00001-dcgan-rothko32";

    public CliHarness Cli { get; } = new();

    public string RunsRoot => Cli.PathOf("runs");

    public string RunPath => Path.Combine(RunsRoot, RunName);

    public StudioServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Where screenshots go: ATELIER_SCREENSHOTS, else TestResults/screenshots beside the tests.</summary>
    public static string Screenshots =>
        Environment.GetEnvironmentVariable("ATELIER_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var (code, output, error) = Cli.Run("train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "4", "--batch-size", "4",
            "--generator-width", "8", "--discriminator-width", "8", "--latent-size", "8", "--out", RunPath, "--quiet",
            "--sample-every", "2", "--checkpoint-every", "2", "--threads", "1");
        Assert.True(code == 0, error + output);
        Directory.CreateDirectory(Cli.PathOf("datasets"));
        Server = StudioServer.Create(Options());
        await Server.StartAsync();
        Http = new HttpClient { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A tiny VAE run on Fashion-MNIST in the runs folder (the autoencoder family's pages).</summary>
    public void TrainTinyVae(string name, int steps, int sampleEvery)
    {
        var (code, output, error) = Cli.Run("train", "--data", "fashion-mnist", "--model", "vae", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--batch-size", "8", "--generator-width", "4", "--discriminator-width", "4", "--latent-size", "8", "--out", Path.Combine(RunsRoot, name), "--quiet",
            "--sample-every", sampleEvery.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1");
        Assert.True(code == 0, error + output);
    }

    public StudioOptions Options() => new()
    {
        RunsRoot = RunsRoot,
        Port = 0,
        DatasetsRoot = Cli.PathOf("datasets"),
        TrainLauncher = StudioCommand.Launcher(typeof(CliApp).Assembly.Location),
        PollInterval = TimeSpan.FromMilliseconds(100),
        // The playground's projections train the latent encoder of these tiny runs for a few steps only.
        ProjectionEncoderSteps = 20,
    };

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Cli.Dispose();
    }
}

[CollectionDefinition("studio")]
public sealed class StudioCollection : ICollectionFixture<StudioFixture>;
