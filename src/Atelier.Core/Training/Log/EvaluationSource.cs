namespace Atelier.Training.Log;

/// <summary>What wrote an "evaluation" event: the training schedule (--eval-every) or `atelier evaluate`.</summary>
public enum EvaluationSource
{
    Training,
    Evaluate,
}
