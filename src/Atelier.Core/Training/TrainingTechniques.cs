using Atelier.Training.Phases;
using Atelier.Training.Terms;

namespace Atelier.Training;

/// <summary>
/// The techniques a run's options turn on, in the order their terms are added: the order is part of every result
/// (floating-point sums are not associative), so a new technique goes at the end of its list.
/// </summary>
public static class TrainingTechniques
{
    public static (IReadOnlyList<IDiscriminatorTerm> Discriminator, IGeneratorLoss GeneratorLoss, IReadOnlyList<IGeneratorTerm> Generator) For(
        TrainingOptions o, GanNetworks networks, RandomStreams streams)
    {
        var d = new List<IDiscriminatorTerm>();
        if (o.Game.StyleAmbiguity > 0) d.Add(new StyleClassification());
        if (o.Game.R1Gamma > 0) d.Add(new R1Regularizer(o.Game.R1Gamma, o.Game.R1Every));
        if (o.Game.GradientPenalty > 0) d.Add(new GradientPenaltyRegularizer(o.Game.GradientPenalty, streams));
        if (o.Game.WeightClip > 0) d.Add(new WeightClipping(o.Game.WeightClip, networks.DiscriminatorParameters));
        if (networks.DiscriminatorHistory is { } dHistory) d.Add(new HistoricalAveraging(o.Game.HistoricalAveraging, dHistory));
#pragma warning disable CA2000 // the distance's frozen network lives as long as the run's training step
        if (networks.Discriminator is Models.IReconstructingDiscriminator) d.Add(new ReconstructionLoss(new Models.Pretrained.PerceptualDistance()));
#pragma warning restore CA2000

        IGeneratorLoss loss = o.Game.FeatureMatching ? new FeatureMatchingLoss() : new AdversarialGeneratorLoss(networks.Objective);
        var g = new List<IGeneratorTerm>();
        if (o.Game.StyleAmbiguity > 0) g.Add(new StyleAmbiguityRegularizer(o.Game.StyleAmbiguity));
        if (networks.GeneratorHistory is { } gHistory) g.Add(new HistoricalAveraging(o.Game.HistoricalAveraging, gHistory));
        return (d, loss, g);
    }
}
