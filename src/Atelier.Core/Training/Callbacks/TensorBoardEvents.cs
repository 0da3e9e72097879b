using static TorchSharp.torch.utils;

namespace Atelier.Training.Callbacks;

/// <summary>
/// TensorBoard event files beside metrics.jsonl (<c>run/tensorboard</c>, TorchSharp's SummaryWriter): each step's
/// losses, discriminator outputs, learning rate, augmentation probability and speed, each evaluation's FID (tagged with
/// its feature network) and each sample grid. Run after the sample grids and the evaluation so that it sees this step's.
/// A resumed run adds a new event file; TensorBoard reads the folder's files as one run. Wall times are the clock's, so
/// these files, unlike the weights and pictures, differ from run to run.
/// </summary>
public sealed class TensorBoardEvents : ITrainingCallback
{
    private TorchSharp.Modules.SummaryWriter? _writer;

    public void OnStart(TrainingSession session) => _writer = tensorboard.SummaryWriter(Path.Combine(session.Run.Path, "tensorboard"));

    public void OnStepEnd(TrainingSession session, StepStats stats)
    {
        _writer ??= tensorboard.SummaryWriter(Path.Combine(session.Run.Path, "tensorboard"));
        int step = checked((int)session.Step);
        void Scalar(string tag, double? value)
        {
            if (value is double v && double.IsFinite(v)) _writer.add_scalar(tag, (float)v, step);
        }
        Scalar("loss/discriminator", stats.LossD);
        Scalar("loss/generator", stats.LossG);
        Scalar("discriminator/real", stats.RealScore);
        Scalar("discriminator/generated", stats.FakeScore);
        Scalar("loss/reconstruction", stats.Reconstruction);
        Scalar("loss/kl", stats.Kl);
        Scalar("schedule/learning_rate", session.Options.Optimization.LearningRate * session.LearningRateScale);
        Scalar("schedule/augment_p", session.Augmentation.Logged);
        Scalar("speed/images_per_second", session.ImagesPerSecond);
        if (session.StepEvaluation is { } e && e.Step == session.Step) Scalar($"evaluation/fid_{e.Network}", e.Fid);
        var grid = session.Run.SamplePath(session.Step);
        var o = session.Options.Schedule;
        if (o.SampleEvery > 0 && session.Step % o.SampleEvery == 0 && File.Exists(grid)) _writer.add_img("samples", grid, step);
    }
}
