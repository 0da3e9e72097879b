namespace Atelier.Valuation;

/// <summary>The fitted model, its validation, and each work's out-of-fold prediction (for the validation table).</summary>
public sealed record ValueFit(ValueModel Model, ValueReport Report, IReadOnlyList<HeldOutPrediction> HeldOut)
{
    /// <summary>The works fitted (empty when fitted from bare arrays).</summary>
    public IReadOnlyList<Work> Works { get; init; } = [];

    /// <summary>Their raw features, which the model's folder keeps for the domain check.</summary>
    public double[][] Features { get; init; } = [];

    /// <summary>Writes the model's folder (see <see cref="ValueModel.Save"/>).</summary>
    public ValueModel Save(string folder, bool overwrite = false) => Model.Save(folder, Features, Works, HeldOut, overwrite);
}
