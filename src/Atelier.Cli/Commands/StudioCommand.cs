using System.CommandLine;
using System.Diagnostics;
using Atelier.Studio;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier studio`: the local web app to watch training, explore a model and keep a gallery.</summary>
internal static class StudioCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0 = any free port).", DefaultValueFactory = _ => 5173 };
        var runs = new Option<string>("--runs") { Description = "The folder of runs to show and train into.", DefaultValueFactory = _ => "runs" };
        var host = new Option<string>("--host") { Description = "Address to bind. Loopback by default; anything else lets other machines in (a warning is printed).", DefaultValueFactory = _ => "127.0.0.1" };
        var catalog = new Option<string?>("--catalog") { Description = "The gallery database (default: <runs>/.studio/gallery.db)." };
        var datasets = new Option<string?>("--datasets") { Description = "A folder whose folders of images the Train page offers as datasets (default: Atelier's installed datasets, $ATELIER_HOME/datasets)." };
        var command = new Command("studio", """
            Start Atelier Studio, a local web app: watch runs train live, explore a model (seeds, truncation, latent
            directions, interpolation, variations), keep favourites in a gallery and start training jobs.

            Example:
              atelier studio --runs runs      # then open http://127.0.0.1:5173
              atelier studio --datasets ~/art # train from the browser on any folder of images in ~/art
            """)
        {
            port, runs, host, catalog, datasets,
        };
        command.SetAction(parse =>
        {
            var datasetsRoot = parse.GetValue(datasets) is string given ? Path.GetFullPath(given) : context.Paths.Datasets;
            if (parse.GetValue(datasets) is string named && !Directory.Exists(datasetsRoot))
                throw new UsageException($"--datasets: '{named}' is not a folder; give the folder that holds your folders of images.");
            var options = new StudioOptions
            {
                RunsRoot = Path.GetFullPath(parse.GetValue(runs)!),
                CatalogPath = parse.GetValue(catalog),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                DatasetsRoot = datasetsRoot,
                TrainLauncher = Launcher(),
            };
            if (!StudioServer.IsLoopback(options.Host))
                context.Warn($"--host {options.Host}: the Studio is reachable from other machines and has no login; anyone who can reach it can see your runs and start training.");
            var server = StudioServer.Create(options);
            try
            {
                try
                {
                    server.StartAsync().GetAwaiter().GetResult();
                }
                catch (IOException e)
                {
                    throw new UsageException($"--port {options.Port}: cannot listen on {options.Host}:{options.Port} ({e.Message}); choose another port or --port 0.");
                }
                context.Console.MarkupLine($"Atelier Studio: [bold link]{server.Address}[/] (runs: {Markup.Escape(options.RunsRoot)}; Ctrl+C stops)");
                // The host stops on Ctrl+C (SIGINT), SIGTERM and SIGQUIT; training jobs it started keep running.
                server.Stopping.GetAwaiter().GetResult();
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Training jobs run this same program: `atelier train ...` (or `dotnet atelier.dll train ...`).</summary>
    public static Func<IReadOnlyList<string>, ProcessStartInfo> Launcher(string? assembly = null)
    {
        var process = Environment.ProcessPath ?? "dotnet";
        bool hosted = Path.GetFileNameWithoutExtension(process) == "dotnet" || assembly is not null;
        var dll = assembly ?? typeof(StudioCommand).Assembly.Location;
        return args =>
        {
            var start = new ProcessStartInfo(hosted ? (Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet") : process);
            if (hosted) start.ArgumentList.Add(dll);
            foreach (var a in args) start.ArgumentList.Add(a);
            return start;
        };
    }
}
