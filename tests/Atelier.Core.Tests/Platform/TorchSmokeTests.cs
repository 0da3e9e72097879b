using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Platform;

public sealed class TorchSmokeTests
{
    [Fact]
    public void Torch_loads_and_a_conv_trains_one_step()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var conv = nn.Conv2d(1, 2, 3, padding: 1);
        var x = randn(new long[] { 2, 1, 5, 5 }, generator: generator);
        var y = conv.forward(x);
        Assert.Equal(new long[] { 2, 2, 5, 5 }, y.shape);
        var loss = y.square().mean();
        loss.backward();
        var weight = conv.weight!;
        Assert.NotNull(weight.grad);
        Assert.True(weight.grad!.abs().sum().item<float>() > 0);
        var before = weight.detach().clone();
        var optimizer = optim.SGD(conv.parameters(), 0.1);
        optimizer.step();
        Assert.False(before.allclose(weight.detach()));
        // A hand-checked value: conv of ones with a kernel of ones sums the 3x3 neighbourhood.
        var ones = nn.Conv2d(1, 1, 3, padding: 1, bias: false);
        using (no_grad()) ones.weight!.fill_(1);
        var centre = ones.forward(torch.ones(1, 1, 3, 3))[0, 0, 1, 1].item<float>();
        Assert.Equal(9f, centre);
    }
}
