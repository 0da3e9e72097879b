using System.Globalization;
using System.Text;
using Atelier.Models;
using Atelier.Models.Autoencoders;
using Atelier.Sampling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Export;

/// <summary>
/// A trained generator for PyTorch: its state dict as safetensors (the names PyTorch's modules give, so
/// <c>load_state_dict</c> takes it as it is) and a short module file that defines the network, reads the weights with
/// no package beyond torch, and draws a seed's latent as Atelier does (torch's CPU generator seeded with the seed), so
/// <c>python3 generator.py --seeds 3</c> makes the picture of seed 3. Families: dcgan, classic, fastgan, autoencoder, vae.
/// </summary>
public static class GeneratorPyTorch
{
    public const string WeightsName = "generator.safetensors";
    public const string ModuleName = "generator.py";

    /// <summary>Writes <see cref="WeightsName"/> and <see cref="ModuleName"/> into <paramref name="folder"/>.</summary>
    public static void Export(TrainedGenerator generator, string folder)
    {
        var source = ModuleSource(generator.Network, generator.Model, generator.WeightsId);
        Directory.CreateDirectory(folder);
        var state = generator.Network.state_dict();
        var weights = new MemoryStream();
        Runs.SafetensorsFormat.Write(weights, state);
        Imaging.AtomicFile.WriteAllBytes(Path.Combine(folder, WeightsName), weights.ToArray());
        Imaging.AtomicFile.WriteAllText(Path.Combine(folder, ModuleName), source);
    }

    /// <summary>The module file for a network; throws NotSupportedException for one it cannot write.</summary>
    public static string ModuleSource(nn.Module<Tensor, Tensor> network, ModelOptions m, string weightsId)
    {
        if (network.named_modules().Any(x => x.module is ReferenceLatents r && r.Active))
            throw new NotSupportedException("a generator with virtual batch norm normalises each image by a reference batch; it is not exported");
        string helpers = "";
        var (layers, forward) = network switch
        {
            DcganGenerator dcgan => Dcgan(dcgan, m, ""),
            ClassicGenerator classic => (Sequential(Child<Sequential>(classic, "layers"), "layers"), "        return self.layers(z)"),
            AutoencoderDecoder decoder => Autoencoder(decoder, m),
            Models.Fastgan.FastganGenerator => Fastgan(m, out helpers),
            _ => throw new NotSupportedException($"the {m.Architecture} generator is not exported to PyTorch (exported: dcgan, classic, fastgan, autoencoder, vae)"),
        };
        var text = Template
            .Replace("{{TITLE}}", $"Atelier {m.Architecture} generator, {m.Resolution}x{m.Resolution}, {m.Channels} channel(s), latent {m.LatentSize}{(m.Classes > 0 ? $", {m.Classes} classes" : "")}", StringComparison.Ordinal)
            .Replace("{{WEIGHTS}}", weightsId, StringComparison.Ordinal)
            .Replace("{{LATENT}}", m.LatentSize.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{CLASSES}}", m.Classes.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{HELPERS}}", helpers, StringComparison.Ordinal)
            .Replace("{{LAYERS}}", layers, StringComparison.Ordinal)
            .Replace("{{FORWARD}}", forward, StringComparison.Ordinal);
        return text;
    }

    private static T Child<T>(nn.Module module, string name) where T : nn.Module =>
        module.named_children().Where(c => c.name == name).Select(c => c.module).OfType<T>().Single();

    private static (string Layers, string Forward) Dcgan(DcganGenerator dcgan, ModelOptions m, string prefix)
    {
        var layers = new StringBuilder(Sequential(Child<Sequential>(dcgan, "layers"), prefix + "layers"));
        var forward = new StringBuilder();
        if (m.Classes > 0)
        {
            layers.Append(CultureInfo.InvariantCulture, $"        self.{prefix}class_embed = nn.Embedding({m.Classes}, {m.LatentSize})\n");
            forward.Append(CultureInfo.InvariantCulture, $"        z = z * self.{prefix}class_embed(classes)  # z times the class's embedding\n");
        }
        forward.Append(CultureInfo.InvariantCulture, $"        return self.{prefix}layers(z.view(-1, {m.LatentSize}, 1, 1))");
        return (layers.ToString(), forward.ToString());
    }

    private static (string, string) Autoencoder(AutoencoderDecoder decoder, ModelOptions m)
    {
        // The decoder's DCGAN lives under "decoder." (a module holding a Sequential "layers"), its prior as two buffers.
        var (layers, forward) = Dcgan(Child<DcganGenerator>(decoder, "decoder"), m, "decoder_");
        layers = layers.Replace("self.decoder_layers = ", "self.decoder = nn.Module()\n        self.decoder.layers = ", StringComparison.Ordinal)
            + $"        self.register_buffer(\"prior_mean\", torch.zeros({m.LatentSize}))\n        self.register_buffer(\"prior_std\", torch.ones({m.LatentSize}))\n";
        forward = "        z = self.prior_mean + self.prior_std * z  # the run's prior over codes\n" + forward.Replace("self.decoder_layers(", "self.decoder.layers(", StringComparison.Ordinal);
        return (layers, forward);
    }

    /// <summary>FastGAN-lite: its spectrally normalised layers and skip-layer excitation as small module classes.</summary>
    private static (string, string) Fastgan(ModelOptions m, out string helpers)
    {
        int width = m.GeneratorWidth, start = Models.Fastgan.FastganGenerator.Channels(4, width);
        var plan = new List<string>();
        var excite = new List<string>();
        for (int side = 8; side <= m.Resolution; side *= 2)
        {
            plan.Add(Invariant($"({Models.Fastgan.FastganGenerator.Channels(side / 2, width)}, {Models.Fastgan.FastganGenerator.Channels(side, width)})"));
            if (side >= 64) excite.Add(Invariant($"\"{side}\": Excitation({Models.Fastgan.FastganGenerator.Channels(side / 16, width)}, {Models.Fastgan.FastganGenerator.Channels(side, width)})"));
        }
        helpers = FastganHelpers;
        var layers = Invariant($$"""
                    self.init = SpectralLinear({{m.LatentSize}}, {{2 * start * 16}}, bias=False)
                    self.init_norm = nn.BatchNorm2d({{2 * start}})
                    self.up = nn.ModuleList([nn.Sequential(OrderedDict([
                        ("upsample", nn.Upsample(scale_factor=2, mode="nearest")),
                        ("conv", SpectralConv2d(i, 2 * o, 3, 1, 1, bias=False)),
                        ("norm", nn.BatchNorm2d(2 * o)),
                        ("glu", nn.GLU(1)),
                    ])) for i, o in [{{string.Join(", ", plan)}}]])
                    self.excite = nn.ModuleDict({{{string.Join(", ", excite)}}})
                    self.to_image = SpectralConv2d({{Models.Fastgan.FastganGenerator.Channels(m.Resolution, width)}}, {{m.Channels}}, 3, 1, 1, bias=True)

            """);
        var forward = Invariant($$"""
                    x = z * torch.rsqrt(z.square().mean(1, keepdim=True) + 1e-8)  # unit second moment
                    x = F.glu(self.init_norm(self.init(x).view(-1, {{2 * start}}, 4, 4)), 1)
                    maps, side = {4: x}, 4
                    for block in self.up:
                        side *= 2
                        x = block(x)
                        if str(side) in self.excite:  # skip-layer excitation: the map 16 times smaller gates this one
                            x = x * self.excite[str(side)](maps[side // 16])
                        maps[side] = x
                    return torch.tanh(self.to_image(x))
            """);
        return (layers, forward.TrimEnd('\n'));
    }

    private const string FastganHelpers = """

        def spectral(weight, u):
            # The weight over its largest singular value, estimated from the stored vector u (no power step in eval).
            matrix = weight.view(weight.shape[0], -1)
            v = F.normalize(matrix.t().mv(u), dim=0, eps=1e-12)
            return weight / u.dot(matrix.mv(v))


        class SpectralLinear(nn.Module):
            def __init__(self, inputs, outputs, bias):
                super().__init__()
                self.weight = nn.Parameter(torch.empty(outputs, inputs))
                self.bias = nn.Parameter(torch.zeros(outputs)) if bias else None
                self.register_buffer("u", torch.ones(outputs) / outputs ** 0.5)

            def forward(self, x):
                return F.linear(x, spectral(self.weight, self.u), self.bias)


        class SpectralConv2d(nn.Module):
            def __init__(self, inputs, outputs, kernel, stride, padding, bias):
                super().__init__()
                self.weight = nn.Parameter(torch.empty(outputs, inputs, kernel, kernel))
                self.bias = nn.Parameter(torch.zeros(outputs)) if bias else None
                self.register_buffer("u", torch.ones(outputs) / outputs ** 0.5)
                self.stride, self.padding = stride, padding

            def forward(self, x):
                return F.conv2d(x, spectral(self.weight, self.u), self.bias, self.stride, self.padding)


        class Excitation(nn.Module):
            def __init__(self, small, big):
                super().__init__()
                self.squeeze = SpectralConv2d(small, big, 4, 1, 0, bias=False)
                self.expand = SpectralConv2d(big, big, 1, 1, 0, bias=False)

            def forward(self, small):
                x = F.adaptive_avg_pool2d(small, 4)
                return torch.sigmoid(self.expand(F.silu(self.squeeze(x))))


        """;

    private static string Sequential(Sequential sequential, string attribute)
    {
        var lines = new StringBuilder($"        self.{attribute} = nn.Sequential(OrderedDict([\n");
        foreach (var (name, module) in sequential.named_children())
            lines.Append(CultureInfo.InvariantCulture, $"            (\"{name}\", {Layer(name, module)}),\n");
        return lines.Append("        ]))\n").ToString();
    }

    private static string Layer(string name, nn.Module module) => module switch
    {
        ConvTranspose2d c => Invariant($"nn.ConvTranspose2d({c.in_channels}, {c.out_channels}, {c.kernel_size[0]}, {c.stride[0]}, {c.padding![0]}, bias={Bool(c.bias is not null)})"),
        Conv2d c => Invariant($"nn.Conv2d({c.in_channels}, {c.out_channels}, {c.kernel_size[0]}, {c.stride[0]}, {c.padding![0]}, bias={Bool(c.bias is not null)})"),
        BatchNorm2d b => Invariant($"nn.BatchNorm2d({b.num_features}, eps={b.eps.ToString("R", CultureInfo.InvariantCulture)})"),
        Linear l => Invariant($"nn.Linear({l.in_features}, {l.out_features}, bias={Bool(l.bias is not null)})"),
        ReLU => "nn.ReLU(inplace=True)",
        LeakyReLU l => Invariant($"nn.LeakyReLU({l.negative_slope.ToString("R", CultureInfo.InvariantCulture)}, inplace=True)"),
        Tanh => "nn.Tanh()",
        Sigmoid => "nn.Sigmoid()",
        Unflatten u => Invariant($"nn.Unflatten({u.dim}, ({string.Join(", ", u.unflattened_size)},))"),
        _ => throw new NotSupportedException($"{name}: {module.GetType().Name} is not exported to PyTorch"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "True" : "False";

    private const string Template = """
        # {{TITLE}}.
        # Written by `atelier export --format pytorch`; weights {{WEIGHTS}}.
        #
        #   python3 generator.py --seeds 0-7 --out samples     # one PNG per seed (needs Pillow), as `atelier generate`
        #
        #   from generator import Generator
        #   g = Generator.load("generator.safetensors")         # eval mode
        #   images = g(Generator.latents([3, 9]))              # [N, C, H, W] in [-1, 1]
        import argparse, json, struct
        from collections import OrderedDict

        import torch
        from torch import nn
        from torch.nn import functional as F

        LATENT = {{LATENT}}
        CLASSES = {{CLASSES}}


        def read_safetensors(path):
            # safetensors without the package: an 8-byte little-endian header length, a JSON header, the raw tensors.
            dtypes = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "F16": torch.float16, "BF16": torch.bfloat16}
            with open(path, "rb") as f:
                (length,) = struct.unpack("<Q", f.read(8))
                header = json.loads(f.read(length))
                data = bytearray(f.read())
            state = {}
            for name, info in header.items():
                if name == "__metadata__":
                    continue
                start, end = info["data_offsets"]
                tensor = torch.frombuffer(data, dtype=dtypes[info["dtype"]], count=(end - start) // torch.tensor([], dtype=dtypes[info["dtype"]]).element_size(), offset=start)
                state[name] = tensor.reshape(info["shape"]).clone()
            return state

        {{HELPERS}}
        class Generator(nn.Module):
            def __init__(self):
                super().__init__()
        {{LAYERS}}
            def forward(self, z, classes=None):
                if CLASSES and classes is None:
                    classes = torch.arange(z.shape[0]) % CLASSES
        {{FORWARD}}

            @staticmethod
            def load(path):
                g = Generator()
                g.load_state_dict(read_safetensors(path))
                return g.eval()

            @staticmethod
            def latents(seeds):
                # A seed's latent as Atelier draws it: torch's CPU generator seeded with the seed, standard normal.
                return torch.stack([torch.randn(LATENT, generator=torch.Generator().manual_seed(s)) for s in seeds])


        def seed_list(text):
            seeds = []
            for part in text.split(","):
                a, _, b = part.partition("-")
                seeds += list(range(int(a), int(b or a) + 1))
            return seeds


        if __name__ == "__main__":
            parser = argparse.ArgumentParser(description=__doc__)
            parser.add_argument("--weights", default="generator.safetensors")
            parser.add_argument("--seeds", default="0-7")
            parser.add_argument("--out", default="samples")
            args = parser.parse_args()
            import os
            from PIL import Image
            g = Generator.load(args.weights)
            seeds = seed_list(args.seeds)
            with torch.no_grad():
                images = g(Generator.latents(seeds))
            pixels = ((images + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).numpy()
            os.makedirs(args.out, exist_ok=True)
            for seed, p in zip(seeds, pixels):
                Image.fromarray(p[:, :, 0] if p.shape[2] == 1 else p).save(os.path.join(args.out, f"seed{seed:04d}.png"))
        """;
}
