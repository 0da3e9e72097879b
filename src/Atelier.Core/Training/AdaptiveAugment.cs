namespace Atelier.Training;

/// <summary>
/// The adaptive probability of the ADA idea (Karras 2020): r_t = E[sign(D(x_real))] measures how surely the
/// discriminator separates the real training images; above the target (0.6) it is overfitting, so p rises, below it
/// p falls, each step by batch / speed images (p can cross 0..1 in <c>speed</c> images).
/// </summary>
public static class AdaptiveAugment
{
    public static double Update(double p, double overfitting, double target, int batch, double speedImages) =>
        Math.Clamp(p + Math.Sign(overfitting - target) * batch / speedImages, 0, 1);
}
