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

    [Fact]
    public void A_job_may_choose_the_discriminator_and_start_from_a_run_of_the_runs_folder()
    {
        using var cli = new CliHarness();
        var runs = cli.PathOf("runs");
        var (code, _, error) = cli.Run("train", "--data", "procedural:rothko", "--model", "fastgan", "--steps", "1", "--batch-size", "4", "--generator-width", "2",
            "--discriminator-width", "4", "--sample-every", "0", "--threads", "1", "--quiet", "--out", Path.Combine(runs, "base"));
        Assert.True(code == 0, error);
        using var jobs = new TrainingJobs(new StudioOptions { RunsRoot = runs });
        var index = new RunIndex(runs);

        var args = jobs.Arguments(new JobRequest("procedural:mondrian", Model: null, Steps: 5, Discriminator: "projected", InitFrom: "base"), index);
        Assert.Equal(["--discriminator", "projected", "--init-from", Path.Combine(index.Root, "base")], args.SkipWhile(a => a != "--discriminator"));
        Assert.DoesNotContain("--model", args);
        Assert.Equal(64, jobs.ResolutionOf(new JobRequest("procedural:mondrian", Model: null), Path.Combine(runs, "base")));

        Assert.Equal(400, Assert.Throws<StudioRequestException>(() => jobs.Arguments(new JobRequest("procedural:mondrian", Model: null), index)).Status);
        Assert.Equal(404, Assert.Throws<StudioRequestException>(() => jobs.Arguments(new JobRequest("procedural:mondrian", InitFrom: "nothing"), index)).Status);
        Assert.Equal(400, Assert.Throws<StudioRequestException>(() => jobs.Arguments(new JobRequest("procedural:mondrian", InitFrom: "../base"), index)).Status);
        var unknown = Assert.Throws<Atelier.Platform.OptionException>(() => jobs.Arguments(new JobRequest("procedural:mondrian", Discriminator: "magic"), index));
        Assert.StartsWith("discriminator: unknown discriminator 'magic'", unknown.Message);

        // The CLI's --init-from end to end: the child takes the parent's model and the run page names the parent.
        var (childCode, _, childError) = cli.Run("train", "--data", "procedural:mondrian", "--init-from", Path.Combine(runs, "base"), "--steps", "2", "--batch-size", "4",
            "--sample-every", "0", "--threads", "1", "--quiet", "--out", Path.Combine(runs, "child"));
        Assert.True(childCode == 0, childError);
        var child = index.Summary("child");
        Assert.Equal(("fastgan", 64, "pixel", "base step 1"), (child.Model, child.Resolution, child.Discriminator, child.Parent));
        Assert.Null(index.Summary("base").Parent);
        var (badCode, _, badError) = cli.Run("train", "--data", "procedural:mondrian", "--init-from", Path.Combine(runs, "base"), "--generator-width", "3", "--steps", "2",
            "--out", Path.Combine(runs, "refused"));
        Assert.Equal(2, badCode);
        Assert.StartsWith("error: --init-from: the generator of", badError);
        Assert.False(Directory.Exists(Path.Combine(runs, "refused")));
    }
}
