using System.CommandLine;
using Atelier.Export;
using Atelier.Imaging;
using Atelier.Sampling;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier export`: a trained generator in a format other tools read.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var run = CommonOptions.Run();
        var checkpoint = CommonOptions.Checkpoint();
        var noEma = new Option<bool>("--no-ema") { Description = "Export the raw generator instead of its moving average." };
        var format = new Option<string>("--format") { Description = "onnx: an ONNX graph (opset 17) for ONNX Runtime, onnxruntime-web and Python; pytorch: a folder with generator.py and generator.safetensors.", DefaultValueFactory = _ => "onnx" };
        var output = new Option<string>("--out") { Description = "File to write (onnx: e.g. generator.onnx) or folder (pytorch).", Required = true };
        var command = new Command("export", """
            Write a run's generator for other tools: --format onnx gives input z [N, latent] (and class [N] int64 for a
            class-conditional run) and output image [N, C, R, R] in [-1, 1], batch norm folded, any batch size.
            """)
        {
            run, checkpoint, noEma, format, output,
        };
        command.SetAction(parse =>
        {
            var kind = parse.GetValue(format);
            if (kind is not ("onnx" or "pytorch"))
                throw new UsageException($"--format: '{kind}' is not an export format; use onnx or pytorch.");
            var outPath = parse.GetValue(output)!;
            if (kind == "onnx" && Directory.Exists(outPath)) throw new UsageException($"--out: '{outPath}' is a folder; give the file to write, e.g. {Path.Combine(outPath, "generator.onnx")}.");
            if (kind == "pytorch" && File.Exists(outPath)) throw new UsageException($"--out: '{outPath}' is a file; give the folder for {GeneratorPyTorch.WeightsName} and {GeneratorPyTorch.ModuleName}.");
            var checkpointPath = TrainedGenerator.ResolveCheckpoint(parse.GetValue(run)!, parse.GetValue(checkpoint));
            using var generator = TrainedGenerator.Load(checkpointPath, useAverage: !parse.GetValue(noEma));
            var m = generator.Model;
            try
            {
                if (kind == "pytorch")
                {
                    GeneratorPyTorch.ModuleSource(generator.Network, m, generator.WeightsId); // refuses before anything is written
                    GeneratorPyTorch.Export(generator, outPath);
                    context.Console.MarkupLine(Markup.Escape($"wrote {Path.Combine(outPath, GeneratorPyTorch.ModuleName)} and {GeneratorPyTorch.WeightsName}: {m.Architecture} {m.Resolution}x{m.Resolution}, from {checkpointPath} ({generator.WeightsId}); python3 {GeneratorPyTorch.ModuleName} --seeds 0-7 draws seeds as atelier generate does"));
                    return ExitCodes.Success;
                }
                var model = GeneratorOnnx.Export(generator);
                AtomicFile.WriteAllBytes(outPath, model);
                context.Console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"wrote {outPath} ({model.Length / 1024.0:F0} KiB): {m.Architecture} {m.Resolution}x{m.Resolution}, z [N, {m.LatentSize}]{(m.Classes > 0 ? ", class [N]" : "")} -> image [N, {m.Channels}, {m.Resolution}, {m.Resolution}] in [-1, 1], from {checkpointPath} ({generator.WeightsId})")));
                return ExitCodes.Success;
            }
            catch (NotSupportedException e)
            {
                throw new UsageException($"export: {e.Message}.");
            }
        });
        return command;
    }
}
