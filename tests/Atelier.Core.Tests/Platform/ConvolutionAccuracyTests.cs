using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Platform;

/// <summary>
/// The convolutions every model is made of, in float32, against the same computation in float64 (libtorch's own
/// kernels; oneDNN has none for float64), and against themselves: the same call must give the same bits. With oneDNN
/// on, on an AVX-512 machine, the input-layer cases 100->256x4 and 100->64x7 failed (errors 0.54 and 0.89).
/// </summary>
public sealed class ConvolutionAccuracyTests
{
    private static readonly long[] Two = [2, 2];
    private static readonly long[] One = [1, 1];

    public static TheoryData<int, int, int> Shapes() => new() { { 256, 128, 4 }, { 64, 32, 16 }, { 32, 3, 32 }, { 8, 4, 8 }, { 4, 3, 16 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Convolutions_match_a_float64_reference_and_repeat_bit_for_bit(int input, int output, int side)
    {
        using var scope = NewDisposeScope();
        TorchRuntime.ConfigureThreads(1);
        using var generator = new TorchSharp.torch.Generator(7);
        var x = randn([16, input, side, side], generator: generator);
        var up = randn([input, output, 4, 4], generator: generator) * 0.05;
        var down = randn([output, input, 4, 4], generator: generator) * 0.05;
        // [16, output, 2·side, 2·side] and [16, output, side/2, side/2]
        var reference = new[]
        {
            nn.functional.conv_transpose2d(x.to(float64), up.to(float64), null, Two, One),
            nn.functional.conv2d(x.to(float64), down.to(float64), null, Two, One),
        };
        for (int repeat = 0; repeat < 3; repeat++)
        {
            var results = new[]
            {
                nn.functional.conv_transpose2d(x, up, null, Two, One),
                nn.functional.conv2d(x, down, null, Two, One),
            };
            for (int i = 0; i < 2; i++)
            {
                double error = (results[i].to(float64) - reference[i]).abs().max().item<double>();
                Assert.True(error < 1e-4, $"{(i == 0 ? "transposed" : "plain")} convolution {input}->{output} at {side}: error {error:E2} against float64 (oneDNN {(ReproducibleKernels.OneDnnEnabled ? "on" : "off")})");
            }
        }
        var first = nn.functional.conv_transpose2d(x, up, null, Two, One);
        for (int repeat = 0; repeat < 5; repeat++)
            Assert.True(first.eq(nn.functional.conv_transpose2d(x, up, null, Two, One)).all().item<bool>(), "the same transposed convolution gave other bits");
    }

    /// <summary>DCGAN's input layer: z [B, latent, 1, 1] to [B, width, k, k] (k = 4, or 7 for 28x28).</summary>
    [Theory]
    [InlineData(100, 256, 4)]
    [InlineData(16, 32, 4)]
    [InlineData(4, 16, 7)]
    [InlineData(100, 64, 7)]
    public void The_input_layer_matches_a_float64_reference_and_repeats_bit_for_bit(int latent, int width, int kernel)
    {
        using var scope = NewDisposeScope();
        TorchRuntime.ConfigureThreads(1);
        using var generator = new TorchSharp.torch.Generator(11);
        var z = randn([16, latent, 1, 1], generator: generator);
        var w = randn([latent, width, kernel, kernel], generator: generator) * 0.05;
        long[] unit = [1, 1], none = [0, 0];
        var reference = nn.functional.conv_transpose2d(z.to(float64), w.to(float64), null, unit, none);
        var first = nn.functional.conv_transpose2d(z, w, null, unit, none); // [16, width, kernel, kernel]
        double error = (first.to(float64) - reference).abs().max().item<double>();
        Assert.True(error < 1e-4, $"input layer {latent}->{width}x{kernel}: error {error:E2} against float64 (oneDNN {(ReproducibleKernels.OneDnnEnabled ? "on" : "off")})");
        for (int repeat = 0; repeat < 5; repeat++)
            Assert.True(first.eq(nn.functional.conv_transpose2d(z, w, null, unit, none)).all().item<bool>(), "the same input layer gave other bits");
    }

    [Fact]
    public void OneDnn_is_off_on_avx512_cpus_unless_asked_for()
    {
        bool expected = Environment.GetEnvironmentVariable(ReproducibleKernels.Variable) switch
        {
            "1" => true,
            "0" => false,
            _ => !System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
        };
        Assert.Equal(expected, ReproducibleKernels.OneDnnEnabled);
        Assert.Equal(expected, ReproducibleKernels.NnpackEnabled); // NNPACK goes with it: it warned on every convolution
    }
}
