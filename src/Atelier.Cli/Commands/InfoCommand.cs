using System.CommandLine;
using System.Globalization;
using Atelier.Data;
using Atelier.Data.Procedural;
using Atelier.Platform;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier info`: versions, threads, devices and installed datasets.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("info", "Show versions, threads, devices and which datasets are installed.") { dataRoot };
        command.SetAction(parse =>
        {
            var console = context.Console;
            var table = new Table().AddColumn("what").AddColumn("value");
            table.AddRow("Atelier", TorchRuntime.AtelierVersion);
            table.AddRow("TorchSharp", TorchRuntime.TorchSharpVersion);
            table.AddRow("libtorch", TorchRuntime.LibTorchVersion);
            table.AddRow("threads", TorchRuntime.ConfigureThreads(0).ToString(CultureInfo.InvariantCulture));
            table.AddRow("oneDNN", Markup.Escape((ReproducibleKernels.OneDnnEnabled ? "on" : "off") + " (" + ReproducibleKernels.Reason + ")"));
            table.AddRow("devices", TorchRuntime.CudaAvailable() ? "cpu, cuda" : "cpu (no CUDA in this libtorch build)");
            table.AddRow("data folder", Markup.Escape(context.Paths.Home));
            console.Write(table);

            var data = new Table().AddColumn("dataset").AddColumn("status").AddColumn("location or install command");
            foreach (var idx in IdxDataset.All)
            {
                var dir = idx.Locate(parse.GetValue(dataRoot), context.Paths.Home, test: false);
                data.AddRow(idx.Name, dir is null ? "[red]missing[/]" : "[green]installed[/]", Markup.Escape(dir ?? idx.InstallHint));
            }
            foreach (var style in ProceduralStyle.All)
                data.AddRow("procedural:" + style.Name, "[green]built in[/]", Markup.Escape(style.Description));
            data.AddRow("<folder>", "[green]any path[/]", "a folder of PNG/JPEG/WebP/GIF/BMP images, searched recursively");
            console.Write(data);
            return ExitCodes.Success;
        });
        return command;
    }
}
