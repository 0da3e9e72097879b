namespace Atelier.Training;

/// <summary>What an augmentation draw is for: each pass draws up to one augmentation of each kind.</summary>
public enum AugmentDraw
{
    DiscriminatorReal = 0,
    DiscriminatorFake = 1,
    GeneratorReal = 2,
    GeneratorFake = 3,
}
