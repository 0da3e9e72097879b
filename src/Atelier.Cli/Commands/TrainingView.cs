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
        // The columns are sized to the terminal: at 80 columns a full status line would squeeze the description to
        // a lone "…", so the line is shortened to what fits beside a narrower bar (Describe).
        int width = context.Console.Profile.Width;
        int barWidth = Math.Clamp(width / 5, 10, 40);
        int room = width - barWidth - 6; // the percentage column and the gaps between columns
        var rate = new StepRate(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = barWidth }, new PercentageColumn())
            .Start(progress =>
            {
                ProgressTask? task = null;
                var refresh = Stopwatch.StartNew();
                var trainer = new GanTrainer(options, data, run, log)
                {
                    CpuTimeLimit = cpuBudget,
                    Evaluator = evaluator,
                    Progress = s =>
                    {
                        rate.Add(clock.Elapsed, s.Step);
                        if (task is not null && refresh.ElapsedMilliseconds < 200 && s.Step != s.TotalSteps) return;
                        refresh.Restart();
                        // Created at the first step seen, so a resumed run starts its bar where it is.
                        task ??= progress.AddTask("starting", maxValue: s.TotalSteps);
                        task.MaxValue = s.TotalSteps;
                        task.Value = s.Step;
                        task.Description = Markup.Escape(Describe(s, rate.Remaining(s.TotalSteps), room));
                    },
                };
                result = trainer.Run(cancel);
                if (task is not null) task.Value = result.Step;
            });
        return result!;
    }

    /// <summary>
    /// The longest status line that fits in <paramref name="room"/> columns: every number on a wide terminal; step,
    /// losses, speed and time left at 80 columns; step and time left at the narrowest.
    /// </summary>
    internal static string Describe(TrainingStatus s, TimeSpan? remaining, int room)
    {
        string left = remaining is TimeSpan r ? $"{Clock(r)} left" : "";
        string speed = s.ImagesPerSecond > 0 ? $"{s.ImagesPerSecond:F0} img/s" : "";
        string step = $"step {s.Step}/{s.TotalSteps}";
        string elapsed = $"{Clock(s.Elapsed)} in";
        string[] candidates = s.Reconstruction is double mse
            ? [Join(step, $"loss {s.GeneratorLoss:F2}", $"MSE {mse:F4} ({Atelier.Metrics.ReconstructionQuality.PsnrOfMse(mse):F1} dB)", $"KL {s.Kl:F2}", speed, elapsed, left),
               Join(step, $"MSE {mse:F4}", $"KL {s.Kl:F2}", speed, left), Join(step, $"MSE {mse:F4}", left), Join(step, left), $"{s.Step}/{s.TotalSteps}"]
            : [Join(step, $"D {s.DiscriminatorLoss:F3}", $"G {s.GeneratorLoss:F3}", $"D(x) {s.RealScore:F2}", $"D(G(z)) {s.FakeScore:F2}", speed, elapsed, left),
               Join(step, $"D {s.DiscriminatorLoss:F2}", $"G {s.GeneratorLoss:F2}", speed, left), Join(step, $"D {s.DiscriminatorLoss:F2}", $"G {s.GeneratorLoss:F2}", left), Join(step, left), $"{s.Step}/{s.TotalSteps}"];
        return candidates.FirstOrDefault(c => c.Length <= room) ?? candidates[^1];
    }

    private static string Join(params string[] parts) => string.Join("  ", parts.Where(p => p.Length > 0));

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:mm\\:ss}";

    private static string Line(TrainingStatus s) => s.Reconstruction is double mse
        ? $"step {s.Step}/{s.TotalSteps}  loss {s.GeneratorLoss:F2}  MSE {mse:F4} ({Atelier.Metrics.ReconstructionQuality.PsnrOfMse(mse):F1} dB)  KL {s.Kl:F2}  {s.ImagesPerSecond:F0} img/s  {s.Elapsed:hh\\:mm\\:ss}"
        : $"step {s.Step}/{s.TotalSteps}  D {s.DiscriminatorLoss:F3}  G {s.GeneratorLoss:F3}  D(x) {s.RealScore:F2}  D(G(z)) {s.FakeScore:F2}  {s.ImagesPerSecond:F0} img/s  {s.Elapsed:hh\\:mm\\:ss}";
}
