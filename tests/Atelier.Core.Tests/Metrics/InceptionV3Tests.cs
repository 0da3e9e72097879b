using System.Diagnostics;
using Atelier.Metrics;
using Atelier.Platform;
using Atelier.Tests.Readers;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Metrics;

/// <summary>Runs only where Debian's python3-torchvision is installed (.ci/run installs it); says why otherwise.</summary>
public sealed class TorchvisionFactAttribute : FactAttribute
{
    public TorchvisionFactAttribute()
    {
        if (!PythonModule.Available("torchvision")) Skip = "python3-torchvision is not installed (apt-get install python3-torchvision); it writes the reference state dict";
    }
}

public class InceptionV3Tests
{
    /// <summary>Runs Fixtures/inception_reference.py into <paramref name="folder"/> (with --fid: pytorch-fid's network).</summary>
    private static void Reference(string folder, string? mode = null)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(TestImages.FixturePath("inception_reference.py"));
        start.ArgumentList.Add(folder);
        if (mode is not null) start.ArgumentList.Add(mode);
        using var python = Process.Start(start)!;
        var error = python.StandardError.ReadToEndAsync();
        python.StandardOutput.ReadToEnd();
        Assert.True(python.WaitForExit(300_000) && python.ExitCode == 0, "inception_reference.py failed: " + error.Result);
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    [TorchvisionFact]
    public void TorchvisionStateDictLoadsAndMatchesPyTorchOutputs()
    {
        using var temp = new TempFolder();
        Reference(temp.Path);
        using var network = InceptionV3Features.Open(temp.File("inception.pth"));
        Assert.False(network.FidVariant);
        Assert.Equal(1000, network.ClassCount);
        Assert.Equal(2048, network.Dimension);
        Assert.Contains("torchvision weights, inception.pth", network.Description);

        using var scope = NewDisposeScope();
        var input = tensor(ReadFloats(temp.File("input.f32")), new long[] { 2, 3, 299, 299 });
        var (pool, logits) = network.RunPrepared(input);
        Assert.Equal(new long[] { 2, 2048 }, pool.shape);
        Assert.Equal(new long[] { 2, 1000 }, logits.shape);
        var expectedPool = ReadFloats(temp.File("pool.f32"));
        var expectedLogits = ReadFloats(temp.File("logits.f32"));
        var actualPool = pool.data<float>().ToArray();
        var actualLogits = logits.data<float>().ToArray();
        double poolScale = expectedPool.Max(Math.Abs), logitScale = expectedLogits.Max(Math.Abs);
        Assert.True(poolScale > 0 && logitScale > 0);
        for (int i = 0; i < actualPool.Length; i++) Assert.True(Math.Abs(actualPool[i] - expectedPool[i]) <= 1e-4 * poolScale + 1e-5, $"pool {i}: {actualPool[i]} vs {expectedPool[i]}");
        for (int i = 0; i < actualLogits.Length; i++) Assert.True(Math.Abs(actualLogits[i] - expectedLogits[i]) <= 1e-4 * logitScale + 1e-5, $"logit {i}: {actualLogits[i]} vs {expectedLogits[i]}");

        // Through the byte-image path: probabilities are a softmax over 1000 classes.
        var batch = network.Compute(FeatureNetworkTests.TestCard(), 1, 3, 32);
        Assert.Equal(2048, batch.Features.Length);
        Assert.Equal(1, batch.Probabilities!.Sum(), 3);
    }

    /// <summary>
    /// The FID variant's pooling (averages that exclude padding in the A, C and first E blocks, a max pool in the last E
    /// block) against pytorch-fid's forwards, written out in Fixtures/inception_fid_reference.py on torchvision's modules.
    /// </summary>
    [TorchvisionFact]
    public void FidVariantPoolingMatchesPytorchFidNumerically()
    {
        using var temp = new TempFolder();
        Reference(temp.Path, "--fid");
        using var network = InceptionV3Features.Open(temp.File("fid.pth"));
        Assert.True(network.FidVariant);
        using var scope = NewDisposeScope();
        var input = tensor(ReadFloats(temp.File("input.f32")), new long[] { 2, 3, 299, 299 });
        var (pool, logits) = network.RunPrepared(input);
        var expectedPool = ReadFloats(temp.File("pool.f32"));
        var expectedLogits = ReadFloats(temp.File("logits.f32"));
        var actualPool = pool.data<float>().ToArray();
        var actualLogits = logits.data<float>().ToArray();
        Assert.Equal(expectedLogits.Length, actualLogits.Length); // 2 x 1008
        double poolScale = expectedPool.Max(Math.Abs), logitScale = expectedLogits.Max(Math.Abs);
        for (int i = 0; i < actualPool.Length; i++) Assert.True(Math.Abs(actualPool[i] - expectedPool[i]) <= 1e-4 * poolScale + 1e-5, $"pool {i}: {actualPool[i]} vs {expectedPool[i]}");
        for (int i = 0; i < actualLogits.Length; i++) Assert.True(Math.Abs(actualLogits[i] - expectedLogits[i]) <= 1e-4 * logitScale + 1e-5, $"logit {i}: {actualLogits[i]} vs {expectedLogits[i]}");
    }

    [TorchvisionFact]
    public void FidWeightsAreRecognisedByTheir1008ClassesAndBadFilesAreNamed()
    {
        using var temp = new TempFolder();
        Reference(temp.Path);
        var state = InceptionV3Features.ReadStateDict(temp.File("inception.pth"));
        Assert.Contains("Mixed_7c.branch_pool.conv.weight", state.Keys);
        // pytorch-fid's file: no AuxLogits, a 1008-way fc.
        var fid = state.Where(kv => !kv.Key.StartsWith("AuxLogits.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        fid["fc.weight"] = zeros(1008, 2048);
        fid["fc.bias"] = zeros(1008);
        var fidPath = temp.File("pt_inception.safetensors");
        TorchSharp.PyBridge.Safetensors.SaveStateDict(fidPath, fid);
        using (var network = InceptionV3Features.Open(fidPath))
        {
            Assert.True(network.FidVariant);
            Assert.Equal(1008, network.ClassCount);
            Assert.Contains("pytorch-fid FID weights", network.Description);
        }
        // A state dict of something else names what is missing.
        var broken = fid.Where(kv => !kv.Key.StartsWith("Mixed_6b.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var brokenPath = temp.File("broken.safetensors");
        TorchSharp.PyBridge.Safetensors.SaveStateDict(brokenPath, broken);
        var error = Assert.Throws<OptionException>(() => InceptionV3Features.Open(brokenPath));
        Assert.Contains("missing: Mixed_6b.", error.Message);
        File.WriteAllText(temp.File("junk.pth"), "not a state dict");
        Assert.Contains("is not a PyTorch state dict", Assert.Throws<OptionException>(() => InceptionV3Features.Open(temp.File("junk.pth"))).Message);
    }

    [Fact]
    public void WithoutWeightsTheMessageSaysWhatToDo()
    {
        var old = Environment.GetEnvironmentVariable(InceptionV3Features.WeightsVariable);
        try
        {
            Environment.SetEnvironmentVariable(InceptionV3Features.WeightsVariable, null);
            var error = Assert.Throws<OptionException>(() => InceptionV3Features.Open(null));
            Assert.Contains("no weights file is configured", error.Message);
            Assert.Contains("--inception-weights", error.Message);
            Assert.Contains("pt_inception-2015-12-05", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(InceptionV3Features.WeightsVariable, old);
        }
    }
}
