using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), stable for any x and free of Scalars.</summary>
internal static class Softplus
{
    public static Tensor Of(Tensor x) => x.relu() + x.abs().neg().exp().log1p();
}
