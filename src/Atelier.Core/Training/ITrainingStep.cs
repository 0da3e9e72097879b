using Atelier.Data;

namespace Atelier.Training;

/// <summary>One training step of a run's networks: the GAN game (<see cref="GanStep"/>) or an autoencoder's (<see cref="AutoencoderStep"/>).</summary>
public interface ITrainingStep
{
    /// <summary>Trains on the step's batches (one per discriminator pass; an autoencoder takes one) and reports it.</summary>
    StepStats Run(Batch[] batches, long stepIndex);
}
