using Atelier.Training;
using Atelier.Training.Log;

namespace Atelier.Core.Tests.Training;

/// <summary>metrics.jsonl read back typed, older logs included.</summary>
public sealed class MetricsHistoryTests
{
    [Fact]
    public void Steps_events_and_both_kinds_of_evaluation_are_read_typed_and_old_names_still_count()
    {
        using var temp = new TempFolder();
        var path = temp.File("metrics.jsonl");
        File.WriteAllLines(path,
        [
            """{"step":1,"lossD":1.5,"lossG":0.5,"dReal":0.6,"dFake":0.4,"imgPerSec":10,"wallSec":0.1,"lr":0.0002,"augmentP":null}""",
            """{"step":2,"lossD":"NaN","lossG":0.5,"dReal":0.6,"dFake":0.4,"imgPerSec":10,"wallSec":0.2,"lr":0.0002,"augmentP":null}""",
            """{"event":"rollback","step":2,"to":0,"reason":"non-finite loss","lrScale":0.5,"rollbacks":1}""",
            """{"step":1,"lossD":1.25,"lossG":0.75,"dReal":0.6,"dFake":0.4,"imgPerSec":10,"wallSec":0.3,"lr":0.0001,"augmentP":0.5}""",
            """{"event":"evaluation","step":1,"fid":42.5,"best":true,"network":"resnet18-imagenet","protocol":"network=resnet18-imagenet [x]; ...","seconds":1.5}""",
            """{"event":"evaluate","step":1,"checkpoint":"step-000001","fid":30,"kid":0.01,"protocol":"network=domain:mnist [y]; resize=none"}""",
            """{"event":"evaluation","source":"evaluate","step":1,"checkpoint":"step-000001","fid":31,"network":"inception-v3","protocol":"network=inception-v3 [z]"}""",
            """{"step":3,"lossD" cut by a crash""",
        ]);
        var history = MetricsHistory.Read(path);
        // The replayed step 1 wins; the NaN step keeps its row with the loss not finite.
        Assert.Equal([1L, 2L], history.Steps.Select(s => s.Step));
        Assert.Equal((1.25, 0.75, 0.0001, 0.5), (history.Steps[0].LossD, history.Steps[0].LossG, history.Steps[0].LearningRate, history.Steps[0].AugmentProbability!.Value));
        Assert.False(double.IsFinite(history.Steps[1].LossD));
        Assert.Equal("rollback", Assert.Single(history.Incidents).Name);
        Assert.Equal(3, history.Evaluations.Count);
        var (training, legacy, evaluate) = (history.Evaluations[0], history.Evaluations[1], history.Evaluations[2]);
        Assert.Equal((EvaluationSource.Training, 42.5, true, "resnet18-imagenet"), (training.Source, training.Fid!.Value, training.Best, training.Network));
        Assert.Equal((EvaluationSource.Evaluate, 30.0, "domain:mnist", 0.01), (legacy.Source, legacy.Fid!.Value, legacy.Network, legacy.Metrics["kid"]));
        Assert.Equal((EvaluationSource.Evaluate, "inception-v3", "step-000001"), (evaluate.Source, evaluate.Network, evaluate.Checkpoint));
    }

    [Fact]
    public void What_the_trainer_writes_reads_back_as_written()
    {
        using var temp = new TempFolder();
        var path = temp.File("metrics.jsonl");
        using (var log = MetricsLog.Open(path))
        {
            log.Write(TrainingEvents.Row(new StepRow(7, 1.5, 0.25, 0.75, 0.125, 99.5, 1.25, 2e-4, null)));
            log.Write(TrainingEvents.TrainingEvaluation(7, 12.5, best: true, "resnet18-imagenet", "network=resnet18-imagenet", 3.25));
            log.Write(TrainingEvents.EarlyStopEvent(7, 12.5));
        }
        var history = MetricsHistory.Read(path);
        Assert.Equal(new StepRow(7, 1.5, 0.25, 0.75, 0.125, 99.5, 1.25, 2e-4, null), Assert.Single(history.Steps));
        var evaluation = Assert.Single(history.Evaluations);
        Assert.Equal((EvaluationSource.Training, 12.5, true), (evaluation.Source, evaluation.Fid!.Value, evaluation.Best));
        Assert.Equal(TrainingEvents.EarlyStop, Assert.Single(history.Incidents).Name);
    }
}
