using Atelier.Training.Recipes;

namespace Atelier.Studio;

/// <summary>What the Studio's training form asks for; what it leaves out takes Core's defaults (<see cref="TrainingDefaults"/>).</summary>
public sealed record JobRequest(string Dataset, string Model = TrainingDefaults.Model, string Objective = TrainingDefaults.Objective, string? Preset = null,
    long Steps = TrainingDefaults.Steps, int? Resolution = null);
