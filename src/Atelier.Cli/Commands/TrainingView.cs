using System.Diagnostics;
using Atelier.Data;
using Atelier.Runs;
using Atelier.Training;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>Runs the trainer behind a live progress bar (terminal) or periodic lines (logs, pipes).</summary>
internal static class TrainingView
{
    public static TrainingResult Run(CliContext context, TrainingOptions options, IImageSource data, RunFolder run, bool quiet, TimeSpan? cpuBudget, CancellationToken cancel, ITrainingEvaluator? evaluator = null)
    {
        Action<string> log = quiet ? _ => { } : message => context.Console.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
        if (quiet || !context.Interactive)
        {
            var lastLine = Stopwatch.StartNew();
            var trainer = new GanTrainer(options, data, run, log)
            {
                CpuTimeLimit = cpuBudget,
                Evaluator = evaluator,
                Progress = quiet ? null : s =>
                {
                    if (lastLine.Elapsed.TotalSeconds < 10 && s.Step != s.TotalSteps) return;
                    lastLine.Restart();
                    context.Console.WriteLine(Line(s));
                },
            };
            return trainer.Run(cancel);
        }
        TrainingResult? result = null;
        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("starting", maxValue: options.Schedule.Steps);
                var refresh = Stopwatch.StartNew();
                var trainer = new GanTrainer(options, data, run, log)
                {
                    CpuTimeLimit = cpuBudget,
                    Evaluator = evaluator,
                    Progress = s =>
                    {
                        if (refresh.ElapsedMilliseconds < 200 && s.Step != s.TotalSteps) return;
                        refresh.Restart();
                        task.Value = s.Step;
                        task.Description = Markup.Escape(Line(s));
                    },
                };
                result = trainer.Run(cancel);
                task.Value = result.Step;
            });
        return result!;
    }

    private static string Line(TrainingStatus s) => s.Reconstruction is double mse
        ? $"step {s.Step}/{s.TotalSteps}  loss {s.GeneratorLoss:F2}  MSE {mse:F4} ({Atelier.Metrics.ReconstructionQuality.PsnrOfMse(mse):F1} dB)  KL {s.Kl:F2}  {s.ImagesPerSecond:F0} img/s  {s.Elapsed:hh\\:mm\\:ss}"
        : $"step {s.Step}/{s.TotalSteps}  D {s.DiscriminatorLoss:F3}  G {s.GeneratorLoss:F3}  D(x) {s.RealScore:F2}  D(G(z)) {s.FakeScore:F2}  {s.ImagesPerSecond:F0} img/s  {s.Elapsed:hh\\:mm\\:ss}";
}
