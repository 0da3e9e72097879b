using Atelier.Training.Recipes;

namespace Atelier.Studio;

/// <summary>What the Studio's training form asks for; what it leaves out takes Core's defaults (<see cref="TrainingDefaults"/>).</summary>
/// <param name="Dataset">One of the datasets the Studio lists.</param>
/// <param name="Model">A registered model family.</param>
/// <param name="Objective">An objective's name as --objective takes it (null: the preset's, else the default).</param>
/// <param name="Preset">A preset, or null.</param>
/// <param name="Steps">Steps to train.</param>
/// <param name="Resolution">Image side, or null for what suits the data.</param>
/// <param name="Discriminator">pixel, projected, ensemble or self-supervised (null: the model's own, pixel).</param>
/// <param name="InitFrom">A run of the runs folder whose latest weights the job starts from (--init-from); its model
/// is then the default, and <paramref name="Model"/> may be null.</param>
public sealed record JobRequest(string Dataset, string? Model = TrainingDefaults.Model, string? Objective = null, string? Preset = null,
    long Steps = TrainingDefaults.Steps, int? Resolution = null, string? Discriminator = null, string? InitFrom = null);
