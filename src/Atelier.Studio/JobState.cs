namespace Atelier.Studio;

public enum JobState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
