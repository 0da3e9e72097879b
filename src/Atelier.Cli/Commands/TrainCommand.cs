using System.CommandLine;
using Atelier.Data;
using Atelier.Export;
using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training;
using Atelier.Training.Recipes;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier train`: learn a generator from a dataset into a run folder.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "fashion-mnist, mnist, procedural:<mondrian|kandinsky|rothko> or a folder of images.", DefaultValueFactory = _ => TrainingDefaults.Data };
        var model = new Option<string>("--model") { Description = "dcgan (28, 32, 64, 128) or classic (28x28, the founding text's model).", DefaultValueFactory = _ => TrainingDefaults.Model };
        var resolution = CommonOptions.Resolution("Square image size: 28, 32, 64 or 128 (default: 28 for MNIST-like data, 32 for procedural art, 64 for folders).");
        var channels = CommonOptions.Channels();
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => TrainingDefaults.BatchSize };
        var steps = new Option<long?>("--steps") { Description = $"Generator steps in total (default {TrainingDefaults.Steps}; with --resume: the new total)." };
        var epochs = new Option<double?>("--epochs") { Description = "Train this many passes over the data instead of --steps." };
        var lr = new Option<double?>("--lr") { Description = "Learning rate of both networks (default: the objective's paper: 2e-4; wgan 5e-5; wgan-gp 1e-4)." };
        var dSteps = new Option<int?>("--d-steps") { Description = "Discriminator steps per generator step (default 1; wgan and wgan-gp 5)." };
        var objective = new Option<string>("--objective")
        {
            Description = "The GAN game: minimax | non-saturating | wgan | wgan-gp | hinge | least-squares. Sets the optimizer, learning rate, " +
                          "critic steps and critic normalisation of its paper unless you set them.",
            DefaultValueFactory = _ => EnumText.Name(TrainingDefaults.Objective),
        };
        var optimizer = new Option<string?>("--optimizer") { Description = "adam or rmsprop (default: the objective's)." };
        var beta1 = new Option<double?>("--beta1") { Description = "Adam beta1 (default: the objective's)." };
        var beta2 = new Option<double?>("--beta2") { Description = "Adam beta2 (default: the objective's)." };
        var criticNorm = new Option<string?>("--critic-norm") { Description = "Discriminator normalisation: batch, layer or none (default: batch; wgan-gp layer)." };
        var weightClip = new Option<double?>("--weight-clip") { Description = "Clip critic weights to [-c, c] (default: 0.01 for wgan, else off)." };
        var gradientPenalty = new Option<double?>("--gradient-penalty") { Description = "Gradient penalty weight lambda (default: 10 for wgan-gp, else off)." };
        var featureMatching = new Option<bool>("--feature-matching") { Description = "Salimans 2016: G matches the mean of D's last hidden layer on real and generated images." };
        var minibatch = new Option<bool>("--minibatch-discrimination") { Description = "Salimans 2016: D sees how similar the images of a batch are (a T tensor layer)." };
        var minibatchKernels = new Option<int>("--minibatch-kernels") { Description = "Minibatch discrimination: B, the number of kernels.", DefaultValueFactory = _ => TrainingDefaults.MinibatchKernels };
        var minibatchKernelSize = new Option<int>("--minibatch-kernel-size") { Description = "Minibatch discrimination: C, the size of each kernel.", DefaultValueFactory = _ => TrainingDefaults.MinibatchKernelSize };
        var historical = new Option<double?>("--historical-averaging")
        {
            Description = "Salimans 2016: penalise distance to the average of past parameters, with this weight (flag alone: 0.001).",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r => CliApp.OptionalNumber(r, "--historical-averaging", TrainingDefaults.HistoricalAveragingWeight),
        };
        var labelSmoothing = new Option<double?>("--label-smoothing")
        {
            Description = "Salimans 2016 one-sided label smoothing: the target for real images (flag alone: 0.9); fake stays 0.",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r => CliApp.OptionalNumber(r, "--label-smoothing", TrainingDefaults.SmoothedRealLabel),
        };
        var cpuMinutes = new Option<double?>("--cpu-minutes") { Description = "Stop (and save) after this much CPU time, for comparisons at equal budget." };
        var vbn = new Option<bool>("--virtual-batchnorm") { Description = "Salimans 2016: the generator normalises each image against a fixed reference batch." };
        var referenceBatch = new Option<int>("--reference-batch-size") { Description = "Virtual batch norm: size of the reference batch.", DefaultValueFactory = _ => TrainingDefaults.ReferenceBatchSize };
        var seed = new Option<long>("--seed") { Description = "Seed for weights, batch order and noise: same seed, same run.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Run folder to create (default: runs/NNNNN-<model>-<data><res>)." };
        var runs = new Option<string>("--runs") { Description = "Folder that holds numbered runs.", DefaultValueFactory = _ => "runs" };
        var tensorBoard = new Option<bool>("--tensorboard") { Description = "Also write TensorBoard event files to <run>/tensorboard: losses, D outputs, learning rate, augmentation p, FID/KID and the sample grids (tensorboard --logdir runs)." };
        var sampleEvery = new Option<int>("--sample-every") { Description = "Steps between sample grids (0 = only at the end).", DefaultValueFactory = _ => TrainingDefaults.SampleEvery };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints (0 = only at the end).", DefaultValueFactory = _ => TrainingDefaults.CheckpointEvery };
        var keep = new Option<int>("--keep-checkpoints") { Description = "How many recent checkpoints to keep.", DefaultValueFactory = _ => TrainingDefaults.KeepCheckpoints };
        var threads = CommonOptions.Threads();
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => EnumText.Name(TrainingDefaults.Device) };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the result paths." };
        var resume = new Option<string?>("--resume") { Description = "Continue this run from its latest checkpoint with its own options (--steps may raise the total, --keep-checkpoints change; --cpu-minutes, --quiet and --inception-weights apply; any other flag is refused)." };
        var latent = new Option<int>("--latent-size") { Description = "Length of the noise vector z.", DefaultValueFactory = _ => TrainingDefaults.LatentSize };
        var gWidth = new Option<int?>("--generator-width") { Description = "Generator feature maps (ngf; default 32 up to 32x32, else 64)." };
        var dWidth = new Option<int?>("--discriminator-width") { Description = "Discriminator feature maps (ndf; default 32 up to 32x32, else 64)." };
        var noFlip = new Option<bool>("--no-flip") { Description = "No horizontal flips (always off for mnist, whose digits a flip would change)." };
        var divergence = new Option<int>("--divergence-window") { Description = "Steps the discriminator may win outright (in its objective's terms) before a rollback.", DefaultValueFactory = _ => TrainingDefaults.DivergenceWindow };
        var dataRoot = CommonOptions.DataRoot();
        var fit = CommonOptions.Fit();
        var evalEvery = new Option<int>("--eval-every") { Description = "Measure FID every N steps; the best checkpoint is marked 'best' (0 = off).", DefaultValueFactory = _ => 0 };
        var evalNetwork = new Option<string>("--eval-network") { Description = "Feature network of --eval-every: resnet18-imagenet, inception-v3 or domain:<dataset>.", DefaultValueFactory = _ => TrainingDefaults.EvalNetwork };
        var evalN = new Option<int>("--eval-n") { Description = "Generated and real images per evaluation.", DefaultValueFactory = _ => TrainingDefaults.EvalSamples };
        var earlyStop = new Option<int>("--early-stop") { Description = "Stop when FID has not improved for K evaluations (needs --eval-every).", DefaultValueFactory = _ => 0 };
        var inceptionWeights = EvaluateCommand.InceptionWeights();
        var stopOnStdin = new Option<bool>("--stop-on-stdin") { Description = "Stop (and save) when a line 'stop' arrives on standard input (used by the Studio).", Hidden = true };
        var discriminator = new Option<string>("--discriminator")
        {
            Description = "pixel (the model's own), projected (Sauer 2021: small discriminators on frozen ImageNet ResNet18 features), ensemble (both, half the loss each) " +
                          "or self-supervised (Liu 2021's FastGAN discriminator, which also learns to rebuild the real images; no pretrained network); " +
                          "projected and ensemble set hinge, Adam betas 0/0.99 and DiffAugment, self-supervised hinge and DiffAugment, unless you set them.",
            DefaultValueFactory = _ => EnumText.Name(DiscriminatorKind.Pixel),
        };
        var initFrom = new Option<string?>("--init-from")
        {
            Description = "Start from the weights of another run (its latest checkpoint) or checkpoint folder instead of random ones: its generator and moving average, " +
                          "and its discriminator where it fits. Its model is the default; the manifest records the parent's weight hashes.",
        };
        var projectedUpsample = new Option<bool>("--projected-upsample") { Description = "With --discriminator projected: upsample images 2x before the feature network (finer maps, 4x the cost)." };
        var spectralNorm = new Option<bool>("--spectral-norm") { Description = "Spectral normalisation of every discriminator weight (Miyato 2018); usually with --critic-norm none." };
        var r1 = new Option<double>("--r1") { Description = "R1 penalty weight gamma on real images (Mescheder 2018; 0 = off).", DefaultValueFactory = _ => 0 };
        var r1Every = new Option<int>("--r1-every") { Description = "Lazy R1: every this many discriminator steps, scaled to match.", DefaultValueFactory = _ => TrainingDefaults.R1Every };
        var gLr = new Option<double?>("--g-lr") { Description = "Generator learning rate (two time-scale update rule; default --lr)." };
        var dLr = new Option<double?>("--d-lr") { Description = "Discriminator learning rate (two time-scale update rule; default --lr)." };
        var emaHalfLife = new Option<double>("--ema-half-life") { Description = "Half-life of the generator's moving average, in images.", DefaultValueFactory = _ => TrainingDefaults.EmaHalfLifeImages };
        var augment = new Option<string>("--augment") { Description = "Differentiable augmentation of real and generated images before D: none, diffaugment (always) or ada (adaptive).", DefaultValueFactory = _ => EnumText.Name(TrainingDefaults.Augment) };
        var augmentOps = new Option<string>("--augment-ops") { Description = "DiffAugment operations: color, translation, cutout.", DefaultValueFactory = _ => TrainingDefaults.AugmentOps };
        var adaTarget = new Option<double>("--ada-target") { Description = "ADA: target of E[sign(D(real))].", DefaultValueFactory = _ => TrainingDefaults.AdaTarget };
        var adaSpeed = new Option<double>("--ada-speed") { Description = "ADA: images over which the probability can go from 0 to 1.", DefaultValueFactory = _ => TrainingDefaults.AdaSpeedImages };
        var klWeight = new Option<double?>("--kl-weight") { Description = $"--model vae: weight beta of the KL term (default {TrainingDefaults.KlWeight}, the evidence lower bound; larger: smoother latents, blurrier images)." };
        var denoise = new Option<double?>("--denoise") { Description = "--model autoencoder or vae: add Gaussian noise of this standard deviation to the encoder's input, so the model learns to remove it (images are in [-1, 1]; 0.2 is a start)." };
        var conditional = new Option<bool>("--conditional") { Description = "Class-conditional: G gets a label embedding, D is a projection discriminator; labels from IDX data or subfolders. Then generate --class." };
        var can = new Option<double?>("--can")
        {
            Description = "Creative Adversarial Network (Elgammal 2017): D learns the classes of the data, G is pushed away from every one of them, with this weight (flag alone: 1).",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r => CliApp.OptionalNumber(r, "--can", TrainingDefaults.StyleAmbiguityWeight),
        };
        var preset = new Option<string?>("--preset")
        {
            Description = "A recipe: " + string.Join("; ", TrainingPreset.All.Select(p => $"{p.Name} ({p.Description})")) + ". Flags you give still win.",
        };
        var command = new Command("train", """
            Train a GAN (or an autoencoder: --model autoencoder, vae) on a dataset. With no options: DCGAN on procedural Kandinsky-style art, 32x32, 4000 steps.

            Examples:
              atelier train --data fashion-mnist --steps 3000
              atelier train --data fashion-mnist --objective wgan-gp
              atelier train --data fashion-mnist --objective wgan --steps 2000
              atelier train --data mnist --objective minimax --label-smoothing 0.9
              atelier train --data fashion-mnist --feature-matching --minibatch-discrimination
              atelier train --data fashion-mnist --historical-averaging 0.001 --virtual-batchnorm
              atelier train --data ~/art --resolution 64 --objective hinge
              atelier train --data ~/emoji --preset small-art --steps 8000
              atelier train --data fashion-mnist --conditional --steps 4000     (then: atelier generate --run ... --class dress)
              atelier train --data ~/paintings-by-style --resolution 64 --can 1
              atelier train --data ~/art --resolution 64 --objective hinge --spectral-norm --critic-norm none --augment ada --r1 1
              atelier train --data ~/art --resolution 64 --discriminator projected
              atelier train --data ~/animals --init-from runs/00003-fastgan-base64 --steps 2000
              atelier train --data fashion-mnist --g-lr 1e-4 --d-lr 4e-4 --ema-half-life 5000
              atelier train --data fashion-mnist --steps 6000 --eval-every 1000 --eval-network domain:fashion-mnist --early-stop 3
              atelier train --data fashion-mnist --model vae --steps 2000             (then: atelier reconstruct --run ...)
              atelier train --data ~/art --model autoencoder --denoise 0.2
              atelier train --resume runs/00001-dcgan-fashion-mnist28 --steps 8000
            """)
        {
            data, model, resolution, channels, batchSize, steps, epochs, lr, dSteps, seed, output, runs, sampleEvery, checkpointEvery, keep,
            threads, device, quiet, resume, tensorBoard, latent, gWidth, dWidth, noFlip, divergence, dataRoot, fit,
            objective, optimizer, beta1, beta2, criticNorm, weightClip, gradientPenalty, featureMatching, minibatch, minibatchKernels,
            minibatchKernelSize, historical, labelSmoothing, vbn, referenceBatch, cpuMinutes, evalEvery, evalNetwork, evalN, earlyStop, inceptionWeights, stopOnStdin,
            spectralNorm, discriminator, projectedUpsample, initFrom, r1, r1Every, gLr, dLr, emaHalfLife, augment, augmentOps, adaTarget, adaSpeed, preset, conditional, can,
            klWeight, denoise,
        };
        command.SetAction(parse =>
        {
            bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
            T? Set<T>(Option<T> o) where T : struct => Given(o) ? parse.GetValue(o) : null;
            string? Text(Option<string> o) => Given(o) ? parse.GetValue(o) : null;
            T? Choice<T>(Option o, string what) where T : struct, Enum =>
                Given(o) && parse.GetValue<string?>(o.Name) is string text ? EnumText.Parse<T>(text, o.Name, what) : null;
            RunFolder run;
            TrainingOptions options;
            TrainingRequest? request = null;
            var resumePath = parse.GetValue(resume);
            if (resumePath is not null)
            {
                // A resumed run keeps its own options: a flag that would change them is refused, never ignored.
                Option[] apply = [resume, steps, cpuMinutes, quiet, stopOnStdin, inceptionWeights, keep, tensorBoard];
                if (command.Options.FirstOrDefault(o => Given(o) && !apply.Contains(o)) is { } ignored)
                    throw new UsageException($"{ignored.Name}: a resumed run keeps the options it was started with (see {Path.Combine(resumePath, "options.json")}); " +
                        "with --resume only --steps (a new total), --keep-checkpoints, --tensorboard, --cpu-minutes, --quiet and --inception-weights apply. Start a new run to change it.");
                run = RunFolder.Open(resumePath, "--resume");
                options = run.LoadOptions();
                if (options.Data.StartsWith(DcganImport.DataPrefix, StringComparison.Ordinal))
                    throw new UsageException($"--resume: {resumePath} was imported ({options.Data[DcganImport.DataPrefix.Length..]}) and has no training data to resume on; " +
                        $"fine-tune it instead: atelier train --data <folder> --init-from {resumePath}");
                // A new total and how many checkpoints to keep change nothing that was trained: they may differ on resume.
                var resumed = options with
                {
                    Schedule = options.Schedule with
                    {
                        Steps = parse.GetValue(steps) ?? options.Schedule.Steps,
                        KeepCheckpoints = Given(keep) ? parse.GetValue(keep) : options.Schedule.KeepCheckpoints,
                        TensorBoard = options.Schedule.TensorBoard || parse.GetValue(tensorBoard),
                    },
                };
                if (resumed != options)
                {
                    resumed.Validate();
                    options = resumed;
                    run.SaveOptions(options);
                }
            }
            else
            {
                request = new TrainingRequest
                {
                    Data = parse.GetValue(data)!, Preset = parse.GetValue(preset), Model = Text(model), Resolution = parse.GetValue(resolution),
                    Channels = parse.GetValue(channels), LatentSize = Set(latent), GeneratorWidth = parse.GetValue(gWidth), DiscriminatorWidth = parse.GetValue(dWidth),
                    CriticNorm = Choice<Normalization>(criticNorm, "normalisation"), Discriminator = Choice<DiscriminatorKind>(discriminator, "discriminator"),
                    ProjectedUpsample = parse.GetValue(projectedUpsample), InitFrom = parse.GetValue(initFrom), MinibatchDiscrimination = parse.GetValue(minibatch), MinibatchKernels = Set(minibatchKernels),
                    MinibatchKernelSize = Set(minibatchKernelSize), VirtualBatchNorm = parse.GetValue(vbn), ReferenceBatchSize = Set(referenceBatch),
                    SpectralNorm = parse.GetValue(spectralNorm), Conditional = parse.GetValue(conditional), Can = parse.GetValue(can),
                    Objective = Choice<Objective>(objective, "objective"), BatchSize = Set(batchSize), Steps = parse.GetValue(steps), Epochs = parse.GetValue(epochs),
                    LearningRate = parse.GetValue(lr), GeneratorLearningRate = parse.GetValue(gLr), DiscriminatorLearningRate = parse.GetValue(dLr),
                    Beta1 = parse.GetValue(beta1), Beta2 = parse.GetValue(beta2), DiscriminatorSteps = parse.GetValue(dSteps), Optimizer = Choice<Optimizer>(optimizer, "optimizer"),
                    WeightClip = parse.GetValue(weightClip), GradientPenalty = parse.GetValue(gradientPenalty), RealLabel = parse.GetValue(labelSmoothing),
                    FeatureMatching = parse.GetValue(featureMatching), HistoricalAveraging = parse.GetValue(historical), R1Gamma = Set(r1), R1Every = Set(r1Every),
                    EmaHalfLifeImages = Set(emaHalfLife), KlWeight = parse.GetValue(klWeight), InputNoise = parse.GetValue(denoise), Augment = Choice<AugmentMode>(augment, "augmentation mode"), AugmentOps = Text(augmentOps), AdaTarget = Set(adaTarget), AdaSpeedImages = Set(adaSpeed),
                    Seed = Set(seed), SampleEvery = Set(sampleEvery), TensorBoard = parse.GetValue(tensorBoard), CheckpointEvery = Set(checkpointEvery), KeepCheckpoints = Set(keep), Threads = Set(threads),
                    Device = Choice<ComputeDevice>(device, "device"), NoFlip = parse.GetValue(noFlip), DivergenceWindow = Set(divergence), DataRoot = parse.GetValue(dataRoot), Fit = Set(fit),
                    EvalEvery = Set(evalEvery), EvalNetwork = Text(evalNetwork), EvalSamples = Set(evalN), EarlyStop = Set(earlyStop),
                };
                options = TrainingRecipe.Resolve(request);
                Platform.TorchRuntime.ResolveDevice(options.Device);
            }

            bool labelled = request?.NeedsLabels ?? (options.Model.Classes > 0 || options.Model.ClassHead > 0);
            var source = new DatasetResolver(context.Paths, context.Warn).Open(new DatasetRequest(
                options.Data, options.Model.Resolution, options.Model.Channels, options.DataRoot, options.Fit, FolderLabels: labelled, Seed: options.Seed));
            if (request is not null) options = TrainingRecipe.WithData(options, request, source);
            if (source.Skipped.Count > 0) context.Warn($"{source.Skipped.Count} files of '{source.Name}' were skipped (listed above).");
            if (Directory.Exists(options.Data) || File.Exists(options.Data))
            {
                int duplicates = DatasetAudit.DuplicateImages(source);
                if (duplicates > 0)
                    context.Warn($"{duplicates} of {source.Count} images of '{source.Name}' repeat another image exactly at {source.Resolution}x{source.Resolution}; " +
                                 $"they weigh more in training. Run 'atelier data audit {options.Data} --fix' and train on the manifest it writes.");
            }
            if (resumePath is null)
            {
                var outDir = parse.GetValue(output);
                run = outDir is null
                    ? RunFolder.CreateNumbered(parse.GetValue(runs)!, options.Model.Architecture, options.Data, options.Model.Resolution)
                    : RunFolder.CreateAt(outDir);
                run.SaveOptions(options);
            }
            else
            {
                run = RunFolder.Open(resumePath, "--resume");
            }

            bool isQuiet = parse.GetValue(quiet);
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, args) =>
            {
                args.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            if (parse.GetValue(stopOnStdin))
            {
                var reader = new Thread(() =>
                {
                    try
                    {
                        while (Console.In.ReadLine() is string line)
                            if (line.Trim() == "stop") { cancel.Cancel(); return; }
                    }
                    catch (Exception e) when (e is IOException or ObjectDisposedException)
                    {
                    }
                })
                { IsBackground = true, Name = "stop-on-stdin" };
                reader.Start();
            }
            try
            {
                if (!isQuiet)
                    context.Console.MarkupLine($"training [bold]{Markup.Escape(options.Model.Architecture)}[/] on [bold]{Markup.Escape(source.Name)}[/] " +
                        $"({options.Model.Resolution}x{options.Model.Resolution}x{options.Model.Channels}) for {options.Schedule.Steps} steps into [bold]{Markup.Escape(run.Path)}[/]");
                var budget = parse.GetValue(cpuMinutes) is double minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;
                if (budget is { TotalSeconds: <= 0 }) throw new UsageException("--cpu-minutes must be positive.");
                using var evaluator = options.Evaluation.Every > 0 ? EvaluateCommand.TrainingEvaluator(context, options, source, parse.GetValue(inceptionWeights)) : null;
                var result = TrainingView.Run(context, options, source, run, isQuiet, budget, cancel.Token, evaluator);
                return Report(context, result, run, isQuiet);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }

    private static int Report(CliContext context, TrainingResult result, RunFolder run, bool quiet)
    {
        if (result.Outcome == TrainingOutcome.Diverged)
        {
            context.Error.WriteLine($"error: {result.Message}");
            return ExitCodes.Failure;
        }
        if (!quiet) context.Console.MarkupLine(Markup.Escape(result.Message));
        context.Console.WriteLine($"run:        {run.Path}");
        if (result.LastSample is not null) context.Console.WriteLine($"grid:       {result.LastSample}");
        if (result.Plot is not null) context.Console.WriteLine($"plot:       {result.Plot}");
        if (result.Checkpoint is not null) context.Console.WriteLine($"checkpoint: {result.Checkpoint}");
        return result.Outcome == TrainingOutcome.Interrupted ? ExitCodes.Interrupted : ExitCodes.Success;
    }
}
