namespace Atelier.Stylization;

/// <summary>Where a style transfer is: L-BFGS iterations done of all it will do, and the current loss.</summary>
/// <param name="Done">Iterations done, over all passes and tiles.</param>
/// <param name="Total">Iterations of the whole transfer.</param>
/// <param name="Stage">"whole image" or "tile r/R, t/T".</param>
/// <param name="Loss">The current pass's loss (content + weighted style, both relative).</param>
public readonly record struct StyleProgress(int Done, int Total, string Stage, double Loss);
