namespace Atelier.Training;

public enum TrainingOutcome
{
    Completed,
    Interrupted,
    Diverged,
}
