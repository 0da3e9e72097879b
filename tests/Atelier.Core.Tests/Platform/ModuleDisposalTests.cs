using static TorchSharp.torch;

namespace Atelier.Core.Tests.Platform;

/// <summary>
/// Why CA2213 is suppressed on network classes: TorchSharp's Module.Dispose disposes what RegisterComponents registered
/// (child modules, their parameters and buffers). If a TorchSharp update stops doing so, this fails and the networks
/// need Dispose overrides.
/// </summary>
public sealed class ModuleDisposalTests
{
    private sealed class Parent : nn.Module<Tensor, Tensor>
    {
        public readonly TorchSharp.Modules.Linear Child = nn.Linear(3, 2);
        public readonly TorchSharp.Modules.Parameter Own = new(zeros(4));

        public Parent() : base(nameof(Parent)) => RegisterComponents();

        public override Tensor forward(Tensor input) => Child.forward(input);
    }

    [Fact]
    public void Disposing_a_module_disposes_its_registered_children_and_parameters()
    {
        var parent = new Parent();
        var childWeight = parent.Child.weight!;
        Assert.False(childWeight.IsInvalid);
        Assert.False(parent.Own.IsInvalid);
        parent.Dispose();
        Assert.True(childWeight.IsInvalid);
        Assert.True(parent.Own.IsInvalid);
    }
}
