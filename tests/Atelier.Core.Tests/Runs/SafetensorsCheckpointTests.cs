using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Atelier.Core.Tests.Training;
using Atelier.Runs;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Runs;

/// <summary>Checkpoints are safetensors: Debian's python3-torch reads them with a few lines of its own, no Atelier code.</summary>
public sealed class SafetensorsCheckpointTests
{
    /// <summary>
    /// Parses the file as the format defines it (8-byte little-endian header length, JSON header, raw little-endian
    /// bytes) and rebuilds every tensor with torch.frombuffer; prints name, dtype, shape, sum and first value.
    /// </summary>
    private const string Reader = """
        import json, struct, sys, torch
        dtypes = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8}
        out = {}
        for path in sys.argv[1:]:
            data = open(path, "rb").read()
            (n,) = struct.unpack("<Q", data[:8])
            header = json.loads(data[8:8 + n].decode("utf-8"))
            body = data[8 + n:]
            ends = []
            for name, entry in header.items():
                if name == "__metadata__":
                    continue
                begin, end = entry["data_offsets"]
                ends.append((begin, end))
                t = torch.frombuffer(bytearray(body[begin:end]), dtype=dtypes[entry["dtype"]]).reshape(entry["shape"]) if end > begin else torch.empty(entry["shape"])
                out[path.rsplit("/", 1)[-1] + ":" + name] = {"dtype": entry["dtype"], "shape": list(t.shape), "sum": float(t.double().sum()), "first": float(t.flatten()[0]) if t.numel() else None}
            ends.sort()
            assert ends[0][0] == 0 and all(a[1] == b[0] for a, b in zip(ends, ends[1:])) and ends[-1][1] == len(body), "the byte buffer has holes"
        print(json.dumps(out))
        """;

    [Fact]
    public void A_new_checkpoint_opens_in_python_with_the_same_names_shapes_and_values()
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(TinyRuns.Model("dcgan", 32, 3), steps: 2).WithGame(g => g with { HistoricalAveraging = 0.001 });
        var result = TinyRuns.Train(temp.Path, options);
        var checkpoint = result.Checkpoint!;
        var parts = new[] { CheckpointFiles.Generator, CheckpointFiles.Discriminator, CheckpointFiles.Average, CheckpointFiles.Optimizers };
        var files = parts.Select(p => Path.Combine(checkpoint, CheckpointFiles.FileName(p))).ToArray();
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        Assert.Empty(Directory.GetFiles(checkpoint, "*.atlt"));
        Assert.Equal(CheckpointManifest.CurrentFormatVersion, CheckpointStore.ReadManifest(checkpoint).FormatVersion);

        var script = Path.Combine(temp.Path, "read.py");
        File.WriteAllText(script, Reader);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var f in files) start.ArgumentList.Add(f);
        Process python;
        try
        {
            python = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("/usr/bin/python3 with python3-torch is needed (scripts/install-data.sh installs it); tests do not skip it.", e);
        }
        using (python)
        {
            var stdout = python.StandardOutput.ReadToEnd();
            var stderr = python.StandardError.ReadToEnd();
            Assert.True(python.WaitForExit(60_000) && python.ExitCode == 0, stderr);
            var read = JsonDocument.Parse(stdout).RootElement;
            int count = 0;
            foreach (var part in parts)
            {
                using var scope = NewDisposeScope();
                foreach (var (name, tensor) in CheckpointStore.ReadTensors(checkpoint, part))
                {
                    var entry = read.GetProperty($"{CheckpointFiles.FileName(part)}:{name}");
                    Assert.Equal(tensor.shape, entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
                    Assert.Equal(tensor.dtype == ScalarType.Float32 ? "F32" : tensor.dtype == ScalarType.Int64 ? "I64" : "?", entry.GetProperty("dtype").GetString());
                    var values = tensor.to_type(ScalarType.Float64).flatten();
                    Assert.Equal(values.sum().item<double>(), entry.GetProperty("sum").GetDouble(), 1e-9 * Math.Max(1, Math.Abs(values.sum().item<double>())));
                    if (values.shape[0] > 0) Assert.Equal(values[0].item<double>(), entry.GetProperty("first").GetDouble());
                    count++;
                }
            }
            Assert.Equal(count, read.EnumerateObject().Count());
            Assert.True(count > 20, count.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void The_same_weights_give_the_same_file()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor> { ["b"] = arange(6, float32).view(2, 3), ["a"] = tensor(7L), ["c"] = zeros(0) };
        var reordered = new Dictionary<string, Tensor> { ["c"] = tensors["c"], ["a"] = tensors["a"], ["b"] = tensors["b"] };
        using var one = new MemoryStream();
        using var two = new MemoryStream();
        SafetensorsFormat.Write(one, tensors);
        SafetensorsFormat.Write(two, reordered);
        Assert.Equal(one.ToArray(), two.ToArray());
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("x.safetensors"), one.ToArray());
        var back = SafetensorsFormat.Load(temp.File("x.safetensors"));
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, back["b"].data<float>().ToArray());
        Assert.Equal(7L, back["a"].item<long>());
        File.WriteAllBytes(temp.File("bad.safetensors"), [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);
        Assert.Contains("bad.safetensors", Assert.Throws<CorruptCheckpointException>(() => SafetensorsFormat.Load(temp.File("bad.safetensors"))).Message);
    }
}
