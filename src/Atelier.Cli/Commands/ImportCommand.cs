using System.CommandLine;
using Atelier.Export;
using Atelier.Runs;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier import`: another tool's trained generator as an Atelier run.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The generator's state dict: torch.save(netG.state_dict(), 'netG.pth') of pytorch/examples' DCGAN (.pth, .pt or .safetensors).", Required = true };
        var discriminator = new Option<string?>("--discriminator") { Description = "Its discriminator's state dict (netD.pth), for fine-tuning with train --init-from; without it the run's discriminator is fresh." };
        var model = new Option<string>("--model") { Description = "The layout of the file: dcgan (pytorch/examples' DCGAN, any of Atelier's dcgan resolutions).", DefaultValueFactory = _ => "dcgan" };
        var output = new Option<string?>("--out") { Description = "Run folder to create (default: runs/NNNNN-dcgan-imported-<file><res>)." };
        var runs = new Option<string>("--runs") { Description = "Folder that holds numbered runs.", DefaultValueFactory = _ => "runs" };
        var seed = new Option<long>("--seed") { Description = "Seed of the run's recorded options (and of a fresh discriminator).", DefaultValueFactory = _ => 0 };
        var command = new Command("import", "Turn a PyTorch DCGAN checkpoint into an Atelier run that generate, reproduce, export, the Studio and train --init-from accept.")
        {
            from, discriminator, model, output, runs, seed,
        };
        command.Description += """


            Examples:
              atelier import --from netG_epoch_24.pth --model dcgan
              atelier import --from netG.pth --discriminator netD.pth --out runs/celeba-dcgan
              atelier generate --run runs/celeba-dcgan --seeds 0-15 --grid celeba.png
            """;
        command.SetAction(parse =>
        {
            if (parse.GetValue(model) is var kind && kind != "dcgan")
                throw new UsageException($"--model: '{kind}' cannot be imported; dcgan (pytorch/examples' DCGAN) is the layout Atelier reads.");
            var source = parse.GetValue(from)!;
            var netD = parse.GetValue(discriminator);
            foreach (var (flag, file) in new[] { ("--from", source), ("--discriminator", netD) })
                if (file is not null && !File.Exists(file)) throw new UsageException($"{flag}: '{file}' does not exist.");
            // The layout is checked before a run folder exists, so a file that does not fit leaves nothing behind.
            int resolution;
            using (var scope = TorchSharp.torch.NewDisposeScope())
            {
                resolution = DcganImport.Plan(PyTorchStateDict.Read(source, "--from"), source).Resolution;
            }
            var outDir = parse.GetValue(output);
            var run = outDir is null
                ? RunFolder.CreateNumbered(parse.GetValue(runs)!, "dcgan", "imported-" + Path.GetFileNameWithoutExtension(source), resolution)
                : RunFolder.CreateAt(outDir);
            try
            {
                var result = DcganImport.Import(source, netD, run, parse.GetValue(seed));
                var m = result.Model;
                context.Console.MarkupLine(Markup.Escape($"imported {source}"));
                context.Console.MarkupLine(Markup.Escape($"as {run.Path}"));
                context.Console.MarkupLine(Markup.Escape(
                    $"dcgan {m.Resolution}x{m.Resolution}x{m.Channels}, latent {m.LatentSize}, width {m.GeneratorWidth}; " +
                    (netD is null ? "discriminator fresh" : $"discriminator from {Path.GetFileName(netD)}")));
                context.Console.MarkupLine(Markup.Escape($"try: atelier generate --run {run.Path} --seeds 0-15 --grid grid.png"));
                return ExitCodes.Success;
            }
            catch
            {
                Directory.Delete(run.Path, recursive: true);
                throw;
            }
        });
        return command;
    }
}
