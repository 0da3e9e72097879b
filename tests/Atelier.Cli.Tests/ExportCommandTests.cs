using Atelier.Imaging;
using Atelier.Sampling;
using Atelier.Tests.Readers;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace Atelier.Cli.Tests;

/// <summary>Runs only where Debian's python3-onnx is installed (scripts/install-data.sh installs it); says why otherwise.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (!PythonModule.Available("onnx")) Skip = "python3-onnx is not installed (apt-get install python3-onnx, or scripts/install-data.sh); its checker judges the exported graph";
    }
}

public sealed class ExportCommandTests
{
    [Fact]
    public void AnExportedGeneratorMakesInOnnxRuntimeThePicturesThatGenerateWrites()
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("run");
        var model = cli.PathOf("g.onnx");
        var (code, output, error) = cli.Run("export", "--run", run, "--out", model);
        Assert.True(code == 0, error + output);
        Assert.Contains("z [N, 6] -> image [N, 3, 32, 32]", output.ReplaceLineEndings(""));
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3,9", "--out", cli.PathOf("singles")).Code);

        // The latents of seeds 3 and 9 as Atelier draws them, through ONNX Runtime, to bytes as Atelier writes them.
        using var latents = Latents.ForSeeds([3, 9], 6);
        using var session = new InferenceSession(model);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("z", new DenseTensor(latents.data<float>().ToArray(), [2, 6]))]);
        var image = results.Single().AsTensor<float>().ToArray();
        Assert.Equal("image", results.Single().Name);
        int plane = 32 * 32;
        for (int n = 0; n < 2; n++)
        {
            using var written = ImageCodec.Decode(cli.PathOf($"singles/seed{(n == 0 ? 3 : 9):D4}.png"));
            int worst = 0, off = 0;
            for (int i = 0; i < plane; i++)
            {
                var pixel = written.GetPixel(i % 32, i / 32);
                byte[] mine = [pixel.Red, pixel.Green, pixel.Blue];
                for (int c = 0; c < 3; c++)
                {
                    int d = Math.Abs(mine[c] - ImageCodec.ToByte(image[(n * 3 + c) * plane + i]));
                    worst = Math.Max(worst, d);
                    if (d != 0) off++;
                }
            }
            Assert.True(worst <= 1 && off <= 3 * plane / 100, $"seed image {n}: {off} values differ, by up to {worst}"); // rounding at .5 at most
        }

        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(PngText.Read(File.ReadAllBytes(cli.PathOf("singles/seed0003.png")))["Atelier.weights"], metadata["atelier.weights"]);
        Assert.Equal("run", metadata["atelier.run"]);
    }

    [OnnxCheckerFact]
    public void TheOnnxCheckerAcceptsTheGraphWithFullShapeInference()
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("run");
        var model = cli.PathOf("g.onnx");
        Assert.Equal(0, cli.Run("export", "--run", run, "--out", model).Code);
        var output = DebianPython.Run(cli.Folder, "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
            + "i = onnx.shape_inference.infer_shapes(m, strict_mode=True); print(m.opset_import[0].version, [d.dim_param or d.dim_value for d in i.graph.output[0].type.tensor_type.shape.dim])", model);
        Assert.Equal("17 ['N', 3, 32, 32]", output);
    }

    [PyTorchFact]
    public void ThePyTorchModuleLoadsTheWeightsAndDrawsAteliersSeedsInPyTorch()
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("run");
        var folder = cli.PathOf("pytorch");
        var (code, output, error) = cli.Run("export", "--run", run, "--format", "pytorch", "--out", folder);
        Assert.True(code == 0, error + output);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3,9", "--out", cli.PathOf("singles")).Code);

        // Atelier's own values for seeds 3 and 9, to compare with PyTorch's to 1e-5.
        using (var generator = TrainedGenerator.Load(TrainedGenerator.ResolveCheckpoint(run), useAverage: true))
        {
            var pixels = generator.Generate([3, 9]);
            var bytes = new byte[pixels.Length * 4];
            Buffer.BlockCopy(pixels, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(Path.Combine(folder, "atelier.f32"), bytes);
        }
        var result = DebianPython.Run(folder, "import torch; from generator import Generator; g = Generator.load('generator.safetensors'); "
            + "mine = torch.frombuffer(bytearray(open('atelier.f32', 'rb').read()), dtype=torch.float32).view(2, 3, 32, 32); "
            + "out = g(Generator.latents([3, 9])).detach(); print(tuple(out.shape), float((out - mine).abs().max()) < 1e-5)");
        Assert.Equal("(2, 3, 32, 32) True", result);

        // The script draws the seeds itself: the same pictures as atelier generate, pixel for pixel.
        DebianPython.Run(folder, "import runpy, sys; sys.argv = ['generator.py', '--seeds', '3,9', '--out', 'samples']; runpy.run_path('generator.py', run_name='__main__')");
        foreach (var seed in new[] { 3, 9 })
        {
            using var ours = ImageCodec.Decode(cli.PathOf($"singles/seed{seed:D4}.png"));
            using var theirs = ImageCodec.Decode(Path.Combine(folder, "samples", $"seed{seed:D4}.png"));
            Assert.Equal(ours.GetPixelSpan().ToArray(), theirs.GetPixelSpan().ToArray());
        }
    }

    [Fact]
    public void WhatCannotBeExportedExits2AndWritesNothing()
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("vbn", "--virtual-batchnorm", "--reference-batch-size", "4");
        var model = cli.PathOf("g.onnx");
        var (code, _, error) = cli.Run("export", "--run", run, "--out", model);
        Assert.Equal(2, code);
        Assert.Contains("virtual batch norm", error);
        (code, _, error) = cli.Run("export", "--run", run, "--out", model, "--format", "tflite");
        Assert.Equal(2, code);
        Assert.Contains("--format: 'tflite'", error);
        (code, _, error) = cli.Run("export", "--run", run, "--out", cli.Folder);
        Assert.Equal(2, code);
        Assert.Contains("is a folder", error);
        (code, _, error) = cli.Run("export", "--run", run, "--out", cli.PathOf("pytorch"), "--format", "pytorch");
        Assert.Equal(2, code);
        Assert.Contains("virtual batch norm", error);
        Assert.False(Directory.Exists(cli.PathOf("pytorch")));
        Assert.False(File.Exists(model));
        Assert.Empty(Directory.GetFiles(cli.Folder, "*.tmp*", SearchOption.AllDirectories));
    }
}
