using Atelier.Export;
using Atelier.Models;
using Atelier.Tests.Readers;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Export;

/// <summary>The exported module file, run by PyTorch on Atelier's weights, gives Atelier's images.</summary>
public sealed class GeneratorPyTorchTests
{
    [PyTorchFact]
    public void EveryExportedFamilyRunsInPyTorchAsInAtelier()
    {
        var folder = Directory.CreateTempSubdirectory("atelier-pytorch-").FullName;
        try
        {
            foreach (var (architecture, resolution, channels, classes) in new[] { ("dcgan", 32, 3, 5), ("dcgan", 64, 1, 0), ("classic", 28, 1, 0), ("autoencoder", 32, 3, 0), ("vae", 32, 1, 0), ("fastgan", 64, 3, 0), ("fastgan", 128, 1, 0) })
            {
                var options = new ModelOptions(architecture, resolution, channels, LatentSize: 12, GeneratorWidth: 8, DiscriminatorWidth: 4, Classes: classes);
                using var network = GeneratorOnnxTests.Generator(options, seed: resolution + classes);
                var here = Directory.CreateDirectory(Path.Combine(folder, $"{architecture}{resolution}-{classes}")).FullName;
                File.WriteAllText(Path.Combine(here, GeneratorPyTorch.ModuleName), GeneratorPyTorch.ModuleSource(network, options, "test"));
                using (var stream = File.Create(Path.Combine(here, GeneratorPyTorch.WeightsName))) Atelier.Runs.SafetensorsFormat.Write(stream, network.state_dict());

                using var scope = NewDisposeScope();
                var z = randn(new long[] { 3, 12 }, generator: new TorchSharp.torch.Generator(11));
                var labels = arange(3, ScalarType.Int64) % Math.Max(1, classes);
                Tensor expected;
                using (no_grad()) expected = network.forward(classes > 0 ? cat([z, labels.to_type(ScalarType.Float32).unsqueeze(1)], 1) : z);
                Write(Path.Combine(here, "z.f32"), z.data<float>().ToArray());
                Write(Path.Combine(here, "expected.f32"), expected.contiguous().data<float>().ToArray());
                var script = "import torch; from generator import Generator; g = Generator.load('generator.safetensors'); "
                    + "f = lambda n: torch.frombuffer(bytearray(open(n, 'rb').read()), dtype=torch.float32); "
                    + $"out = g(f('z.f32').view(3, 12){(classes > 0 ? ", torch.arange(3) % " + classes : "")}).detach(); "
                    + "print(float((out.flatten() - f('expected.f32')).abs().max()), float(out.abs().max()))";
                var answer = DebianPython.Run(here, script).Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                Assert.True(answer[0] < 1e-5 && answer[1] > 0.05, $"{architecture} {resolution}: max difference {answer[0]}, max value {answer[1]}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void VirtualBatchNormIsRefusedWithTheReason()
    {
        var options = new ModelOptions("dcgan", 32, 3, LatentSize: 8, GeneratorWidth: 4, DiscriminatorWidth: 4, VirtualBatchNorm: true, ReferenceBatchSize: 4);
        using var network = GanModels.CreateGenerator(options);
        var e = Assert.Throws<NotSupportedException>(() => GeneratorPyTorch.ModuleSource(network, options, "test"));
        Assert.Contains("virtual batch norm", e.Message);
    }

    private static void Write(string path, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }

}
