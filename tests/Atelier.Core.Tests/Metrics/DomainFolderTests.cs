using Atelier.Imaging;
using Atelier.Metrics;
using Atelier.Platform;

namespace Atelier.Core.Tests.Metrics;

/// <summary>domain:&lt;folder&gt;: a classifier trained on a folder with one subfolder per class, as for an artist's collection by category.</summary>
public sealed class DomainFolderTests
{
    [Fact]
    public void A_folder_with_a_subfolder_per_class_is_a_domain_network_that_knows_its_classes()
    {
        using var temp = new TempFolder();
        var root = temp.File("by-category");
        var random = new Random(4);
        // Two categories of 32×32 drawings: warm discs on the left, cool bars on the right.
        foreach (var (category, warm) in new[] { ("discs", true), ("bars", false) })
        {
            Directory.CreateDirectory(Path.Combine(root, category));
            for (int i = 0; i < 60; i++)
            {
                var chw = new float[3 * 32 * 32];
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        bool inside = warm ? (x - 10) * (x - 10) + (y - 16) * (y - 16) < 64 : x is > 20 and < 28 && y > 4;
                        float noise = (float)(random.NextDouble() * 0.2 - 0.1);
                        chw[y * 32 + x] = (inside ? (warm ? 0.8f : -0.6f) : 0.9f) + noise;
                        chw[1024 + y * 32 + x] = (inside ? -0.2f : 0.9f) + noise;
                        chw[2048 + y * 32 + x] = (inside ? (warm ? -0.6f : 0.8f) : 0.9f) + noise;
                    }
                using var bitmap = ImageCodec.FromPixels(chw, 3, 32, 32);
                File.WriteAllBytes(Path.Combine(root, category, $"{i:D3}.png"), ImageCodec.EncodePng(bitmap));
            }
        }
        // What domain:<folder> opens (FeatureNetworks.Open → DomainClassifier.Open), with the short training of the tests.
        var set = new Atelier.Data.DatasetResolver(new AtelierPaths(temp.File("home"))).Open(new Atelier.Data.DatasetRequest(root, 32, FolderLabels: true));
        using var classifier = DomainClassifier.Open(root, set, null, temp.File("cache"), minimumSteps: 40);
        Assert.Equal(["bars", "discs"], classifier.Classes.Order(StringComparer.Ordinal));
        Assert.True(classifier.Accuracy >= 0.9, classifier.Description);
        Assert.Contains("a 10% hold-out", classifier.Description);
    }
}
