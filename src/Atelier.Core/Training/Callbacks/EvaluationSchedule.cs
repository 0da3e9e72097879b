using System.Diagnostics;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Sampling;
using Atelier.Training.Log;

namespace Atelier.Training.Callbacks;

/// <summary>
/// Every EvalEvery steps: the FID of the averaged generator's seeds 0..EvalSamples-1; the best checkpoint is marked
/// "best", and with EarlyStop the run ends after that many evaluations without improvement.
/// </summary>
public sealed class EvaluationSchedule(ITrainingEvaluator evaluator) : ITrainingCallback
{
    private double _bestFid = double.PositiveInfinity;
    private int _sinceBest;

    /// <summary>Best FID so far and evaluations since it, from the log of the steps kept (a resume continues the count).</summary>
    public void OnStart(TrainingSession session)
    {
        foreach (var evaluation in MetricsHistory.Read(session.Run.MetricsFile).Evaluations)
        {
            if (evaluation.Source != EvaluationSource.Training || evaluation.Step > session.Step || evaluation.Fid is not double fid) continue;
            if (fid < _bestFid)
            {
                _bestFid = fid;
                _sinceBest = 0;
            }
            else
            {
                _sinceBest++;
            }
        }
    }

    public void OnStepEnd(TrainingSession session, StepStats stats)
    {
        var o = session.Options;
        if (session.Step % o.Evaluation.Every != 0) return;
        session.GcWindow.Close();
        var (fid, protocol, seconds) = Evaluate(session);
        bool improved = fid < _bestFid;
        if (improved)
        {
            _bestFid = fid;
            _sinceBest = 0;
            if (!session.HasCheckpointAtStep)
            {
                session.Metrics.Flush();
                session.SaveCheckpoint();
            }
            session.Checkpoints.MarkBest(session.Checkpoints.Latest()!);
        }
        else
        {
            _sinceBest++;
        }
        session.Metrics.Write(TrainingEvents.TrainingEvaluation(session.Step, fid, improved, evaluator.Network, protocol, seconds));
        session.StepEvaluation = (session.Step, fid, evaluator.Network);
        session.Metrics.Flush();
        session.Log($"step {session.Step}: FID {fid:F2}{(improved ? " (best so far)" : $" (best {_bestFid:F2}; {_sinceBest} without improvement)")}");
        if (o.Evaluation.EarlyStop > 0 && _sinceBest >= o.Evaluation.EarlyStop)
        {
            session.Metrics.Write(TrainingEvents.EarlyStopEvent(session.Step, _bestFid));
            session.Stop(TrainingOutcome.Completed, $"stopped early at step {session.Step}: FID has not improved for {_sinceBest} evaluations (best {_bestFid:F2}, checkpoint 'best')");
        }
    }

    private (double Fid, string Protocol, double Seconds) Evaluate(TrainingSession session)
    {
        var clock = Stopwatch.StartNew();
        var o = session.Options;
        var m = o.Model;
        float[] pixels;
        using (GcPause.Begin())
        {
            session.Calibrate();
            var seeds = Enumerable.Range(0, o.Evaluation.Samples).Select(i => (long)i).ToList();
            pixels = ImageSynthesis.Generate(session.Networks.Average, seeds, m.LatentSize, session.Networks.Device);
        }
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) bytes[i] = ImageCodec.ToByte(pixels[i]);
        var (fid, protocol) = evaluator.Fid(bytes, o.Evaluation.Samples, m.Channels, m.Resolution,
            $"{Path.GetFileName(session.Run.Path)} step {session.Step} EMA generator (seeds 0..{o.Evaluation.Samples - 1})");
        return (fid, protocol, clock.Elapsed.TotalSeconds);
    }
}
