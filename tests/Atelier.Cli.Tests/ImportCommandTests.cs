using System.Net;
using Atelier.Export;
using Atelier.Imaging;
using Atelier.Models;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Studio;
using Atelier.Tests.Readers;
using Atelier.Training;
using static TorchSharp.torch;

namespace Atelier.Cli.Tests;

public sealed class ImportCommandTests
{
    /// <summary>pytorch/examples' dcgan/main.py networks, as written there (nz, ngf, ndf, nc as parameters).</summary>
    private const string ExamplesDcgan = """
        import sys, torch, torch.nn as nn
        nz, ngf, ndf, nc = 100, 64, 64, 3
        class Generator(nn.Module):
            def __init__(self):
                super().__init__()
                self.main = nn.Sequential(
                    nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
                    nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
                    nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
                    nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
                    nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())
            def forward(self, input):
                return self.main(input)
        class Discriminator(nn.Module):
            def __init__(self):
                super().__init__()
                self.main = nn.Sequential(
                    nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
                    nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
                    nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
                    nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
                    nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())
            def forward(self, input):
                return self.main(input).view(-1, 1).squeeze(1)
        def weights_init(m):
            classname = m.__class__.__name__
            if classname.find('Conv') != -1:
                nn.init.normal_(m.weight, 0.0, 0.02)
            elif classname.find('BatchNorm') != -1:
                nn.init.normal_(m.weight, 1.0, 0.02)
                nn.init.constant_(m.bias, 0)
                # as after training: running statistics that are not the initial ones, which eval mode uses
                m.bias.data.uniform_(-0.1, 0.1); m.running_mean.uniform_(-0.2, 0.2); m.running_var.uniform_(0.5, 1.5)

        """;

    [PyTorchFact]
    public void APyTorchExamplesCheckpointImportsAndDrawsWhatPyTorchDraws()
    {
        using var cli = new CliHarness();
        DebianPython.Run(cli.Folder, ExamplesDcgan + """
            torch.manual_seed(7)
            netG, netD = Generator(), Discriminator()
            netG.apply(weights_init); netD.apply(weights_init)
            torch.save(netG.state_dict(), 'netG_epoch_24.pth'); torch.save(netD.state_dict(), 'netD_epoch_24.pth')
            """);
        var run = cli.PathOf("imported");
        var (code, output, error) = cli.Run("import", "--from", cli.PathOf("netG_epoch_24.pth"), "--discriminator", cli.PathOf("netD_epoch_24.pth"), "--model", "dcgan", "--out", run);
        Assert.True(code == 0, error + output);
        Assert.Contains("dcgan 64x64x3, latent 100, width 64", output);

        // The same latents through PyTorch's netG.eval() and Atelier's generator; PyTorch's netD on those images.
        var checkpoint = TrainedGenerator.ResolveCheckpoint(run);
        float[] atelier, logits;
        using (var generator = TrainedGenerator.Load(checkpoint))
        using (var scope = NewDisposeScope())
        {
            Assert.Equal(new ModelOptions("dcgan", 64, 3, 100, 64, 64), generator.Model);
            var z = Latents.ForSeeds([3, 9], 100);
            Write(cli.PathOf("z.f32"), z.data<float>().ToArray());
            atelier = generator.Generate([3, 9]);
            using var d = GanModels.CreateDiscriminator(generator.Model);
            GanNetworks.LoadPart(d, checkpoint, CheckpointFiles.Discriminator);
            d.eval();
            logits = d.forward(tensor(atelier).view(2, 3, 64, 64)).data<float>().ToArray();
        }
        Write(cli.PathOf("atelier.f32"), atelier);
        var result = DebianPython.Run(cli.Folder, ExamplesDcgan + """
            def read(name, *shape): return torch.frombuffer(bytearray(open(name, 'rb').read()), dtype=torch.float32).view(*shape)
            netG, netD = Generator().eval(), Discriminator().eval()
            netG.load_state_dict(torch.load('netG_epoch_24.pth')); netD.load_state_dict(torch.load('netD_epoch_24.pth'))
            with torch.no_grad():
                images = netG(read('z.f32', 2, nz, 1, 1))
                print(float((images - read('atelier.f32', 2, 3, 64, 64)).abs().max()) < 1e-5, ' '.join('%.6f' % p for p in netD(images).tolist()))
            """);
        var parts = result.Split(' ');
        Assert.Equal("True", parts[0]);
        for (int i = 0; i < 2; i++) Assert.Equal(double.Parse(parts[i + 1], System.Globalization.CultureInfo.InvariantCulture), 1 / (1 + Math.Exp(-logits[i])), 1e-5);

        // generate and reproduce accept the run; its record names the source files by SHA-256.
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3", "--out", cli.PathOf("singles")).Code);
        (code, output, error) = cli.Run("reproduce", cli.PathOf("singles/seed0003.png"), "--run", run);
        Assert.True(code == 0, error + output);
        var record = File.ReadAllText(Path.Combine(run, DcganImport.RecordName));
        Assert.Contains(CheckpointStore.Sha256(cli.PathOf("netG_epoch_24.pth")), record);
        Assert.Contains(CheckpointStore.Sha256(cli.PathOf("netD_epoch_24.pth")), record);
        Assert.True(File.Exists(Path.Combine(run, "samples", "step-000000.png")));
    }

    [Fact]
    public async Task AnExamplesLayoutInSafetensorsImportsAndTheStudioServesIt()
    {
        using var cli = new CliHarness();
        var netG = cli.PathOf("netG.safetensors");
        WriteExamplesGenerator(netG, nz: 8, ngf: 4, nc: 1, convs: 4);
        var runs = cli.PathOf("runs");
        var (code, output, error) = cli.Run("import", "--from", netG, "--runs", runs);
        Assert.True(code == 0, error + output);
        Assert.Contains("dcgan 32x32x1, latent 8, width 4; discriminator fresh", output);
        var name = Path.GetFileName(Directory.GetDirectories(runs).Single());
        Assert.Equal("00001-dcgan-imported-netg32", name);
        Assert.Equal(0, cli.Run("generate", "--run", Path.Combine(runs, name), "--seeds", "5", "--out", cli.PathOf("singles")).Code);

        // An imported run has no data to resume on: the refusal says how to fine-tune it, and fine-tuning works.
        var (resumeCode, _, resumeError) = cli.Run("train", "--resume", Path.Combine(runs, name), "--steps", "2");
        Assert.Equal(2, resumeCode);
        Assert.Contains("was imported (netG.safetensors) and has no training data to resume on; fine-tune it instead: atelier train --data <folder> --init-from", resumeError);
        var (tuneCode, _, tuneError) = cli.Run("train", "--data", "procedural:mondrian", "--init-from", Path.Combine(runs, name), "--steps", "2", "--batch-size", "4",
            "--sample-every", "0", "--threads", "1", "--quiet", "--out", cli.PathOf("tuned"));
        Assert.True(tuneCode == 0, tuneError);
        using var tuned = TrainedGenerator.Load(TrainedGenerator.ResolveCheckpoint(cli.PathOf("tuned")));
        Assert.Equal(new ModelOptions("dcgan", 32, 1, 8, 4, 64), tuned.Model);

        await using var server = StudioServer.Create(new StudioOptions { RunsRoot = runs, Port = 0, DatasetsRoot = cli.Folder });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };
        Assert.Contains(name, await http.GetStringAsync("/api/runs"));
        using var response = await http.GetAsync($"/api/runs/{name}/image.png?seed=5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var studio = ImageCodec.Decode(await response.Content.ReadAsByteArrayAsync(), "studio.png");
        using var generated = ImageCodec.Decode(cli.PathOf("singles/seed0005.png"));
        Assert.Equal(generated.GetPixelSpan().ToArray(), studio.GetPixelSpan().ToArray());
    }

    [Fact]
    public void WhatIsNotAnExamplesDcganExits2AndLeavesNoRun()
    {
        using var cli = new CliHarness();
        var runs = cli.PathOf("runs");
        File.WriteAllText(cli.PathOf("junk.pth"), "not a pickle");
        var renamed = cli.PathOf("renamed.safetensors");
        Save(renamed, new Dictionary<string, Tensor> { ["layers.input.weight"] = zeros(8, 16, 4, 4) });
        var shallow = cli.PathOf("shallow.safetensors");
        WriteExamplesGenerator(shallow, nz: 8, ngf: 4, nc: 3, convs: 2);
        var wrongD = cli.PathOf("netD.safetensors");
        Save(wrongD, new Dictionary<string, Tensor> { ["main.0.weight"] = zeros(4, 1, 4, 4) });
        var netG = cli.PathOf("netG.safetensors");
        WriteExamplesGenerator(netG, nz: 8, ngf: 4, nc: 3, convs: 4);
        foreach (var (args, message) in new[]
        {
            (new[] { "--from", cli.PathOf("missing.pth") }, "--from: '"),
            (["--from", cli.PathOf("junk.pth")], "is not a PyTorch state dict"),
            (["--from", renamed], "'layers.input.weight', which pytorch/examples' netG has not"),
            (["--from", shallow], "has 2 convolutions"),
            (["--from", netG, "--model", "fastgan"], "--model: 'fastgan' cannot be imported"),
            (["--from", netG, "--discriminator", wrongD], "a convolution from 3 channels"),
        })
        {
            var (code, _, error) = cli.Run(["import", .. args, "--runs", runs]);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}, {error}");
            Assert.Contains(message, error);
            Assert.False(Directory.Exists(runs) && Directory.EnumerateFileSystemEntries(runs).Any(), string.Join(' ', args) + " left a run behind");
        }
    }

    /// <summary>A netG state dict of pytorch/examples' layout with <paramref name="convs"/> transposed convolutions (seeded values).</summary>
    private static void WriteExamplesGenerator(string path, int nz, int ngf, int nc, int convs)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(1, CPU).manual_seed(3);
        var state = new Dictionary<string, Tensor>();
        // Channels along the way: nz, ngf·2^(convs-2), ..., 2·ngf, ngf, nc.
        var channels = new[] { nz }.Concat(Enumerable.Range(0, convs - 1).Select(i => ngf << (convs - 2 - i))).Append(nc).ToArray();
        for (int i = 0; i < convs; i++)
        {
            long output = channels[i + 1];
            state[$"main.{3 * i}.weight"] = randn([channels[i], output, 4, 4], generator: generator) * 0.05;
            if (i == convs - 1) break;
            state[$"main.{3 * i + 1}.weight"] = ones(output) + randn([output], generator: generator) * 0.02;
            state[$"main.{3 * i + 1}.bias"] = randn([output], generator: generator) * 0.05;
            state[$"main.{3 * i + 1}.running_mean"] = randn([output], generator: generator) * 0.1;
            state[$"main.{3 * i + 1}.running_var"] = ones(output) + rand([output], generator: generator) * 0.5;
            state[$"main.{3 * i + 1}.num_batches_tracked"] = tensor(100L);
        }
        Save(path, state);
    }

    private static void Save(string path, Dictionary<string, Tensor> tensors)
    {
        using var file = File.Create(path);
        SafetensorsFormat.Write(file, tensors);
    }

    private static void Write(string path, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }
}
