using Atelier.Models.Pretrained;
using Atelier.Valuation;
using SkiaSharp;

namespace Atelier.Core.Tests.Valuation;

public sealed class ValueSaliencyTests
{
    [Fact]
    public void Saliency_lies_on_the_shapes_not_the_empty_ground_and_covers_the_pictures_letterbox_content()
    {
        using var folder = new TempFolder();
        var table = WorksTable.Read(ValueExample.Write(folder.Path, ValueExampleKind.Shapes, 40, seed: 0));
        using var features = new ValueFeatures(ValueFeatureSet.Both);
        var model = ValueFitter.Fit(table, features, log: false, new ValueFitOptions()).Model;
        using var network = ResNet18Network.Load();
        // A wide picture: flat ground, with shapes only in its left third.
        using var picture = new SKBitmap(new SKImageInfo(300, 100, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(picture))
        using (var paint = new SKPaint { Color = new SKColor(200, 30, 60), IsAntialias = true })
        {
            canvas.Clear(new SKColor(235, 232, 228));
            canvas.DrawCircle(40, 50, 25, paint);
            paint.Color = new SKColor(30, 160, 40);
            canvas.DrawRect(70, 20, 25, 60, paint);
        }
        var (map, width, height) = ValueSaliency.Compute(model, network, picture);
        Assert.Equal(224, width);
        Assert.InRange(height, 74, 76); // 100 / 300 of 224
        Assert.All(map, v => Assert.InRange(v, 0, 1));
        double Mean(int x0, int x1) => Enumerable.Range(0, height).SelectMany(y => Enumerable.Range(x0, x1 - x0).Select(x => (double)map[y * width + x])).Average();
        double shapes = Mean(0, width / 3), ground = Mean(width / 2, width);
        Assert.True(shapes > 2 * ground, $"mean heat on the shapes {shapes:F3}, on the empty ground {ground:F3}");
        Assert.Equal(map, ValueSaliency.Compute(model, network, picture).Map); // seeded noise: the same map twice
    }
}
