using System.CommandLine;
using Atelier.Data;
using Atelier.Metrics;
using Atelier.Training;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier evaluate`: FID / KID / IS / precision–recall with their protocol, and copy detection.</summary>
internal static class EvaluateCommand
{
    public static Option<string?> InceptionWeights() => new("--inception-weights")
    {
        Description = $"Weights for --network inception-v3: pytorch-fid's pt_inception-2015-12-05-6726825d.pth or a torchvision inception_v3 state dict (.pth or .safetensors). Also: ${InceptionV3Features.WeightsVariable}.",
    };

    public static Command Create(CliContext context)
    {
        var real = new Option<string?>("--real") { Description = "Real dataset (default for a run: the dataset it was trained on)." };
        var fake = new Option<string>("--fake") { Description = "A run folder (its generator makes the images) or a dataset.", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "With a run: latest, best, a step number or a checkpoint folder name.", DefaultValueFactory = _ => "latest" };
        var metrics = new Option<string?>("--metrics") { Description = "Comma-separated: fid, kid, is, pr (default fid,kid,pr, plus is when the network has classes)." };
        var network = new Option<string>("--network") { Description = "resnet18-imagenet (offline default), random-cnn (fixed random VGG16 convolutions: independent of any discriminator and of ImageNet), inception-v3 (needs --inception-weights) or domain:<labelled dataset>.", DefaultValueFactory = _ => FeatureNetworks.Default };
        var n = new Option<int>("--n") { Description = $"Images per side: {EvaluationRequest.DefaultCount} takes a few minutes on two cores; 10000 or 50000 for numbers to publish (FID falls as n grows: compare equal n only).", DefaultValueFactory = _ => EvaluationRequest.DefaultCount };
        var seed = new Option<long>("--seed") { Description = "Seed of the real sample (and KID subsets).", DefaultValueFactory = _ => 0 };
        var copies = new Option<bool?>("--copies") { Description = "Check whether generated images copy training images (default: on for runs). --no-copies turns it off." };
        var noCopies = new Option<bool>("--no-copies") { Description = "Skip the copy check." };
        var output = new Option<string?>("--out") { Description = "Folder for the report (default: <run>/evaluation/<checkpoint>, or ./evaluation)." };
        var noEma = new Option<bool>("--no-ema") { Description = "Use the raw generator instead of its moving average." };
        var inception = InceptionWeights();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("evaluate", """
            Measure a run (or a dataset) against real data: FID, KID, Inception Score, precision and recall, each printed
            with its protocol (network, sample sizes, real split, resize, seed), and check for copies of training images.

            Examples:
              atelier evaluate --fake runs/00001-dcgan-fashion-mnist28
              atelier evaluate --fake runs/00001-dcgan-fashion-mnist28 --checkpoint best --network domain:fashion-mnist --metrics fid,kid,is,pr
              atelier evaluate --real fashion-mnist --fake fashion-mnist:test --n 10000
              atelier evaluate --fake runs/00002-dcgan-art64 --network inception-v3 --inception-weights pt_inception-2015-12-05-6726825d.pth
            """)
        {
            real, fake, checkpoint, metrics, network, n, seed, copies, noCopies, output, noEma, inception, dataRoot,
        };
        command.SetAction(parse =>
        {
            var request = new EvaluationRequest
            {
                Fake = parse.GetValue(fake)!,
                Real = parse.GetValue(real),
                Checkpoint = parse.GetValue(checkpoint),
                Network = parse.GetValue(network)!,
                Metrics = parse.GetValue(metrics) is string text ? EvaluationOptions.Parse(text) : null,
                Count = parse.GetValue(n),
                Seed = parse.GetValue(seed),
                Copies = parse.GetValue(noCopies) ? false : parse.GetValue(copies),
                UseAverage = !parse.GetValue(noEma),
                InceptionWeights = parse.GetValue(inception),
                DataRoot = parse.GetValue(dataRoot),
                ReportDirectory = parse.GetValue(output),
            };
            var report = EvaluationView.Run(context, request);
            Print(context, report.Result);
            context.Console.WriteLine($"report:     {report.ReportFile}");
            if (report.CopiesHtml is not null)
            {
                context.Console.WriteLine($"copies:     {report.CopiesHtml}");
                context.Console.WriteLine($"            {report.CopiesPng}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext context, EvaluationResult result)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned()).AddColumn("meaning");
        foreach (var m in result.Metrics)
            table.AddRow(m.Name, m.Formatted, Meaning(m.Name));
        context.Console.Write(table);
        var p = result.Protocol;
        context.Console.WriteLine($"network:    {p.Network} — {p.NetworkDescription}");
        context.Console.WriteLine($"resize:     {p.Resize}");
        context.Console.WriteLine($"real:       {p.Real}");
        context.Console.WriteLine($"fake:       {p.Fake}");
        context.Console.WriteLine($"protocol:   n_real={p.NReal} n_fake={p.NFake} seed={p.Seed}");
        if (Math.Min(p.NReal, p.NFake) < 10_000)
            context.Console.WriteLine($"n:          FID and KID at n={Math.Min(p.NReal, p.NFake)} are noisier, and FID is biased upward (it falls as n grows): compare numbers of equal n only; --n 10000 or 50000 for numbers to publish");
        if (p.Network != InceptionV3Features.NetworkId || !p.NetworkDescription.Contains("pytorch-fid", StringComparison.Ordinal))
            context.Console.WriteLine("note:       not comparable to published FID, which uses pytorch-fid's Inception weights (see docs/metrics.md)");
        if (result.Copies is { } c)
            context.Console.WriteLine($"copies:     baseline = {c.Baseline}");
    }

    private static string Meaning(string name) => name switch
    {
        "fid" => "Fréchet distance (lower is better)",
        "kid" => "unbiased MMD², mean ± std (lower is better)",
        "is" => "mean ± std over 10 splits (higher is better)",
        "precision" => "fidelity: fakes on the real manifold",
        "recall" => "diversity: reals on the fake manifold",
        "memorisation_pixels" => "fakes nearer a training image than 99% of reals",
        "memorisation_features" => "the same in features (reals: about 0.01)",
        "mifid" => "FID / memorisation distance when it is < 0.1",
        _ => "",
    };

    /// <summary>The FID tracker of `train --eval-every`: real features of the training data, cached.</summary>
    public static TrainingFid TrainingEvaluator(CliContext context, TrainingOptions options, IImageSource data, string? inceptionWeights) =>
        TrainingFid.Open(options, data, context.Paths, inceptionWeights, m => context.Console.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
}
