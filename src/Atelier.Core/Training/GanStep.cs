using Atelier.Data;
using Atelier.Sampling;
using Atelier.Training.Phases;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// One training step (Goodfellow 2014, Algorithm 1): k discriminator updates, then one generator update, each the sum
/// of its phases (<see cref="TrainingPhase"/>). The techniques of a run are chosen once, from its options.
/// </summary>
public sealed class GanStep : ITrainingStep
{
    private readonly TrainingOptions _options;
    private readonly GanNetworks _n;
    private readonly Device _device;
    private readonly RandomStreams _streams;
    private readonly Augmentation _augmentation;
    private readonly IReadOnlyList<IDiscriminatorTerm> _discriminatorTerms;
    private readonly IGeneratorLoss _generatorLoss;
    private readonly IReadOnlyList<IGeneratorTerm> _generatorTerms;

    public GanStep(TrainingOptions options, GanNetworks networks, Augmentation augmentation)
    {
        _options = options;
        _n = networks;
        _device = networks.Device;
        _streams = new RandomStreams(options.Seed, _device);
        _augmentation = augmentation;
        (_discriminatorTerms, _generatorLoss, _generatorTerms) = TrainingTechniques.For(options, networks, _streams);
    }

    public StepStats Run(Batch[] batches, long stepIndex)
    {
        using var scope = NewDisposeScope();
        int k = _options.Game.DiscriminatorSteps;
        _n.Train();
        DiscriminatorPass last = null!;
        Tensor lossD = null!, fake = null!;
        for (int i = 0; i < k; i++)
        {
            var position = PassPosition.Discriminator(stepIndex, i, k);
            // With k = 1 the generated batch keeps its graph and the generator stepIndex reuses it, as in Radford 2015's code.
            var real = RealImages(batches[i]);
            fake = Generate(position, batches[i], real, keepGraph: k == 1);
            last = See(position, batches[i], real, fake.detach());
            lossD = DiscriminatorLoss(last);
            UpdateDiscriminator(lossD);
        }
        var generatorPosition = PassPosition.Generator(stepIndex, k);
        if (k > 1) fake = Generate(generatorPosition, batches[k - 1], last.Real, keepGraph: true);
        var pass = new GeneratorPass(generatorPosition, View(last.Labels), last.Real, fake, _augmentation);
        var lossG = GeneratorLoss(pass);
        UpdateGenerator(lossG, stepIndex);
        using var noGrad = no_grad();
        _augmentation.AfterStep(last.RealLogits, _options.Optimization.BatchSize * k);
        return new StepStats(lossD.item<float>(), lossG.item<float>(), sigmoid(last.RealLogits).mean().item<float>(), sigmoid(last.FakeLogits).mean().item<float>(),
            _n.Objective.DiscriminatorWins(last.RealLogits, last.FakeLogits));
    }

    /// <summary>Phases DiscriminatorMain and DiscriminatorRegularization: the game's loss, then each term in order.</summary>
    private Tensor DiscriminatorLoss(DiscriminatorPass pass)
    {
        var loss = _n.Objective.DiscriminatorLoss(pass.RealLogits, pass.FakeLogits);
        foreach (var phase in new[] { TrainingPhase.DiscriminatorMain, TrainingPhase.DiscriminatorRegularization })
            foreach (var term in _discriminatorTerms)
                if (term.Phase == phase && term.Loss(pass) is { } t) loss = loss + t;
        return loss;
    }

    private void UpdateDiscriminator(Tensor loss)
    {
        _n.DiscriminatorOptimizer.ZeroGrad();
        loss.backward();
        _n.DiscriminatorOptimizer.StepUpdate();
        foreach (var term in _discriminatorTerms) term.AfterUpdate();
    }

    /// <summary>Phases GeneratorMain and GeneratorRegularization.</summary>
    private Tensor GeneratorLoss(GeneratorPass pass)
    {
        // D's weights are frozen for this backward pass: G needs only the gradient with respect to D's input, and
        // skipping D's weight gradients saves about a ninth of the step's work without changing any update.
        _n.GeneratorOptimizer.ZeroGrad();
        _n.SetDiscriminatorTrainable(false);
        var loss = _generatorLoss.Loss(pass);
        foreach (var term in _generatorTerms)
            if (term.Loss(pass) is { } t) loss = loss + t;
        return loss;
    }

    private void UpdateGenerator(Tensor loss, long step)
    {
        loss.backward();
        _n.SetDiscriminatorTrainable(true);
        _n.GeneratorOptimizer.StepUpdate();
        foreach (var term in _generatorTerms) term.AfterUpdate();
        int images = _options.Optimization.BatchSize;
        _n.Ema.Update(images, (step + 1) * images * _options.Game.DiscriminatorSteps);
    }

    /// <summary>Generated images for a pass: latents from the run's stream, conditioned on the real batch's classes, letterboxed like it.</summary>
    private Tensor Generate(PassPosition position, Batch batch, Tensor real, bool keepGraph)
    {
        var z = _streams.Latents(position, _options.Optimization.BatchSize, _options.Model.LatentSize);
        if (_options.Model.Classes > 0) z = Latents.WithLabels(z, batch.Labels.Take(batch.Size).Select(l => (long)l).ToList());
        if (keepGraph) return Letterboxed(_n.Generator.forward(z), real, batch);
        using var noGrad = no_grad();
        return Letterboxed(_n.Generator.forward(z), real, batch);
    }

    /// <summary>[B, C, R, R] the batch's real images on the run's device.</summary>
    private Tensor RealImages(Batch batch) => ToDevice(tensor(batch.Pixels, new long[] { batch.Size, batch.Channels, batch.Resolution, batch.Resolution }));

    /// <summary>The discriminator's view of one real batch and one (detached) generated batch.</summary>
    private DiscriminatorPass See(PassPosition position, Batch batch, Tensor real, Tensor fake)
    {
        var labels = _options.Model.Classes > 0 || _options.Model.ClassHead > 0 ? ToDevice(tensor(batch.Labels.Take(batch.Size).Select(l => (long)l).ToArray())) : null;
        var view = View(labels);
        var realSeen = _augmentation.Apply(real, position, AugmentDraw.DiscriminatorReal);
        IReadOnlyList<(Tensor, Tensor)>? reconstructions = null;
        Tensor realLogits;
        Tensor? realFeatures = null;
        if (_n.Discriminator is Models.IReconstructingDiscriminator)
            (realLogits, reconstructions) = view.WithReconstructions(realSeen, _streams.ReconstructedPart(position));
        else
            (realLogits, realFeatures) = view.WithFeatures(realSeen);
        var fakeSeen = _augmentation.Apply(fake, position, AugmentDraw.DiscriminatorFake);
        return new DiscriminatorPass
        {
            Position = position, Batch = batch, Discriminator = view, Labels = labels, Real = real, Fake = fake,
            RealSeen = realSeen, FakeSeen = fakeSeen, RealLogits = realLogits, RealFeatures = realFeatures, FakeLogits = view.Logits(fakeSeen),
            Reconstructions = reconstructions,
        };
    }

    private DiscriminatorView View(Tensor? labels) => new(_n.Discriminator, labels);

    /// <summary>Letterboxed data: the generated images take the padding of their real partners (see <see cref="LetterboxMask"/>).</summary>
    private Tensor Letterboxed(Tensor fake, Tensor real, Batch batch)
    {
        if (batch.Mask is null) return fake;
        var mask = ToDevice(tensor(batch.Mask, new long[] { batch.Size, 1, batch.Resolution, batch.Resolution }));
        return LetterboxMask.Composite(fake, real, mask);
    }

    private Tensor ToDevice(Tensor t) => _device.type == DeviceType.CPU ? t : t.to(_device);
}
