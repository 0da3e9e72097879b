namespace Atelier.Models;

/// <summary>A generator whose input rows are [z, class index] when <see cref="Classes"/> &gt; 0.</summary>
public interface IConditionalGenerator
{
    /// <summary>Number of classes it is conditioned on; 0 for an unconditional generator.</summary>
    int Classes { get; }

    int LatentSize { get; }
}
