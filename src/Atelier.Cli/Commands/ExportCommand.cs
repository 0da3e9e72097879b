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
        var format = new Option<string>("--format") { Description = "onnx: an ONNX graph (opset 17) that ONNX Runtime, onnxruntime-web and Python run.", DefaultValueFactory = _ => "onnx" };
        var output = new Option<string>("--out") { Description = "File to write, e.g. generator.onnx.", Required = true };
        var command = new Command("export", """
            Write a run's generator for other tools: --format onnx gives input z [N, latent] (and class [N] int64 for a
            class-conditional run) and output image [N, C, R, R] in [-1, 1], batch norm folded, any batch size.
            """)
        {
            run, checkpoint, noEma, format, output,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(format) is not "onnx")
                throw new UsageException($"--format: '{parse.GetValue(format)}' is not an export format; use onnx.");
            var outPath = parse.GetValue(output)!;
            if (Directory.Exists(outPath)) throw new UsageException($"--out: '{outPath}' is a folder; give the file to write, e.g. {Path.Combine(outPath, "generator.onnx")}.");
            var checkpointPath = TrainedGenerator.ResolveCheckpoint(parse.GetValue(run)!, parse.GetValue(checkpoint));
            using var generator = TrainedGenerator.Load(checkpointPath, useAverage: !parse.GetValue(noEma));
            byte[] model;
            try
            {
                model = GeneratorOnnx.Export(generator);
            }
            catch (NotSupportedException e)
            {
                throw new UsageException($"export: {e.Message}.");
            }
            AtomicFile.WriteAllBytes(outPath, model);
            var m = generator.Model;
            context.Console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"wrote {outPath} ({model.Length / 1024.0:F0} KiB): {m.Architecture} {m.Resolution}x{m.Resolution}, z [N, {m.LatentSize}]{(m.Classes > 0 ? ", class [N]" : "")} -> image [N, {m.Channels}, {m.Resolution}, {m.Resolution}] in [-1, 1], from {checkpointPath} ({generator.WeightsId})")));
            return ExitCodes.Success;
        });
        return command;
    }
}
