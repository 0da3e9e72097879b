using System.Diagnostics;
using Atelier.Metrics;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>Runs an evaluation behind a progress bar per stage with its time left (terminal), or a line per stage (logs, pipes).</summary>
internal static class EvaluationView
{
    public static EvaluationReport Run(CliContext context, EvaluationRequest request)
    {
        Action<string> log = m => context.Console.MarkupLine($"[grey]{Markup.Escape(m)}[/]");
        if (!context.Interactive)
        {
            var lines = new LineProgress(context);
            return EvaluationPipeline.Run(request with { Progress = lines.Report }, context.Paths, context.Warn, log);
        }
        EvaluationReport? report = null;
        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                report = EvaluationPipeline.Run(request with
                {
                    Progress = p =>
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                            tasks[p.Stage] = task = progress.AddTask(Markup.Escape(p.Stage), maxValue: p.Total);
                        task.MaxValue = p.Total;
                        task.Value = p.Done;
                    },
                }, context.Paths, context.Warn, log);
            });
        return report!;
    }

    /// <summary>A line when a stage ends, and every 15 seconds in a long one: done/total and the time left at its pace so far.</summary>
    private sealed class LineProgress(CliContext context)
    {
        private readonly Stopwatch _stage = new(), _line = new();
        private string? _current;

        public void Report(EvaluationProgress p)
        {
            if (p.Stage != _current)
            {
                _current = p.Stage;
                _stage.Restart();
                _line.Restart();
            }
            bool done = p.Done >= p.Total;
            if (!done && _line.Elapsed.TotalSeconds < 15) return;
            _line.Restart();
            var elapsed = _stage.Elapsed;
            var text = done
                ? $"{p.Stage}: {p.Total} in {Format(elapsed)}"
                : $"{p.Stage}: {p.Done}/{p.Total} ({100.0 * p.Done / p.Total:F0}%), about {Format(elapsed * ((double)(p.Total - p.Done) / Math.Max(1, p.Done)))} left";
            context.Console.MarkupLine($"[grey]  {Markup.Escape(text)}[/]");
        }

        private static string Format(TimeSpan t) => t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F1}s";
    }
}
