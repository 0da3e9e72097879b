using Atelier.Models;
using Atelier.Objectives;
using Atelier.Studio;
using Atelier.Training;

namespace Atelier.Cli.Tests.Studio;

/// <summary>The Studio's training form asks Core for its choices and for the recipe; it keeps no copy of either.</summary>
public sealed class TrainingJobsRecipeTests
{
    [Fact]
    public void A_jobs_resolution_is_the_trainers_even_for_a_folder_named_like_a_dataset()
    {
        using var cli = new CliHarness();
        var root = cli.PathOf("datasets");
        Directory.CreateDirectory(Path.Combine(root, "my-mnist-art"));
        Directory.CreateDirectory(Path.Combine(root, "mnist")); // would shadow the dataset: not offered
        using var jobs = new TrainingJobs(new StudioOptions { RunsRoot = cli.PathOf("runs"), DatasetsRoot = root });
        Assert.Equal(64, jobs.ResolutionOf(new JobRequest("folder:my-mnist-art")));
        Assert.Equal(28, jobs.ResolutionOf(new JobRequest("mnist")));
        Assert.Equal(32, jobs.ResolutionOf(new JobRequest("procedural:rothko")));
        Assert.Equal(64, jobs.ResolutionOf(new JobRequest("procedural:rothko", Preset: "small-art")));
        var datasets = jobs.Datasets();
        Assert.Contains("folder:my-mnist-art", datasets);
        Assert.DoesNotContain("folder:mnist", datasets);
        Assert.Equal(Atelier.Data.DatasetResolver.KnownNames(), datasets.Take(datasets.Count - 1));
    }

    [Fact]
    public void The_forms_choices_are_cores_lists()
    {
        Assert.Equal(ModelOptions.Architectures, TrainingJobs.Models);
        Assert.Equal(ObjectiveCatalog.Names, TrainingJobs.Objectives);
        Assert.Equal(TrainingPreset.All.Select(p => p.Name), TrainingJobs.Presets);
        Assert.Equal(Atelier.Training.Recipes.TrainingDefaults.Steps, new JobRequest("mnist").Steps);
    }
}
