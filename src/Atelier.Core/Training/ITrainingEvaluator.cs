namespace Atelier.Training;

/// <summary>Measures the FID of generated images during training against a fixed real sample.</summary>
public interface ITrainingEvaluator
{
    /// <summary>The feature network's name, e.g. "resnet18-imagenet".</summary>
    string Network { get; }

    /// <summary>FID of <paramref name="count"/> CHW byte images, and the protocol line that produced it.</summary>
    (double Fid, string Protocol) Fid(byte[] images, int count, int channels, int resolution, string description);
}
