namespace Atelier.Projection;

/// <summary>
/// StyleGAN2's projector schedule (Karras et al. 2020, projector.py): the learning rate rises linearly over the first
/// 5 % of the steps and falls along a cosine over the last 25 %; the noise added to the latent decays quadratically
/// and is zero from 75 % on, so the last quarter polishes the latent itself.
/// </summary>
public static class ProjectionSchedule
{
    public const double RampUp = 0.05;
    public const double RampDown = 0.25;
    public const double NoiseRamp = 0.75;

    /// <summary>The learning rate at step <paramref name="step"/> of <paramref name="steps"/>.</summary>
    public static double LearningRate(double peak, int step, int steps)
    {
        double t = (double)step / steps;
        double ramp = Math.Min(1.0, (1.0 - t) / RampDown);
        ramp = 0.5 - 0.5 * Math.Cos(ramp * Math.PI);
        ramp *= Math.Min(1.0, t / RampUp);
        return peak * ramp;
    }

    /// <summary>The standard deviation of the noise added to the latent at step <paramref name="step"/>.</summary>
    public static double Noise(double start, int step, int steps)
    {
        double t = (double)step / steps;
        double left = Math.Max(0.0, 1.0 - t / NoiseRamp);
        return start * left * left;
    }
}
