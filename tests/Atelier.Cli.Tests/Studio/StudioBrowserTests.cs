using Microsoft.Playwright;

namespace Atelier.Cli.Tests.Studio;

/// <summary>
/// The Studio in a real browser: Debian's chromium driven by Playwright (never a downloaded browser). Each page is
/// saved as a screenshot under <see cref="StudioFixture.Screenshots"/>.
/// </summary>
[Collection("studio")]
public sealed class StudioBrowserTests(StudioFixture studio)
{
    public const string Chromium = "/usr/bin/chromium";

    private static async Task<(IPlaywright, IBrowser)> Launch()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/install-data.sh installs Debian's chromium for the browser tests.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        return (playwright, browser);
    }

    /// <summary>A 1280×900 page on the Studio, and the errors it reports: script errors, console errors other than
    /// failed loads (those arrive as responses), and every response of 400 or more.</summary>
    private async Task<(IPage Page, List<string> Errors)> OpenPage(IBrowser browser)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = studio.Server.Address.ToString() });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        return (page, errors);
    }

    private static async Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(StudioFixture.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(StudioFixture.Screenshots, name), FullPage = true });
    }

    [Fact]
    public async Task RunsPlaygroundDirectionsFavouritesAndGalleryWorkInChromium()
    {
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await OpenPage(browser);

        // Runs page: the run is there with its latest grid.
        await page.GotoAsync("/");
        var card = page.Locator($".run-card[data-run='{StudioFixture.RunName}']");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await card.Locator("img").EvaluateAsync<int>("i => i.naturalWidth") > 0);
        await Assertions.Expect(card.Locator("dd", new() { HasText = "pixel discriminator" })).ToHaveCountAsync(1);
        await Shot(page, "runs.png");

        // Run page: progress, curves and the timeline of grids.
        await card.Locator("a.title").ClickAsync();
        await Assertions.Expect(page.Locator("#stat-step")).ToHaveTextAsync("4 / 4");
        await Assertions.Expect(page.Locator("#timeline-step")).ToContainTextAsync("step 4");
        await page.Locator("#timeline").FillAsync("0");
        await Assertions.Expect(page.Locator("#timeline-step")).ToContainTextAsync("step 2");
        // Its evaluation form offers the networks the server can run (pressing it is the API test's part).
        await Assertions.Expect(page.Locator("#eval-run")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#eval-network option[value='domain:fashion-mnist']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("p.muted", new() { HasText = "with the pixel discriminator" })).ToHaveCountAsync(1);
        await Shot(page, "run.png");

        // Train page: the discriminator, the resolution, a folder of the datasets folder and a run to start from are
        // choices of the form, and nothing but the form is under its heading (it once printed a literal "null").
        Directory.CreateDirectory(Path.Combine(studio.Cli.PathOf("datasets"), "collages"));
        await page.GotoAsync("/#/train");
        await Assertions.Expect(page.Locator("#job-dataset option[value='folder:collages']")).ToHaveTextAsync("collages (folder)");
        await Assertions.Expect(page.Locator("#job-resolution option")).ToHaveTextAsync(["as suits the data", "28×28", "32×32", "64×64", "128×128"]);
        await Assertions.Expect(page.Locator("#job-folders")).ToContainTextAsync("1 folder of images");
        Assert.DoesNotContain("null", await page.Locator("#view").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#job-discriminator option")).ToHaveTextAsync(["default", "pixel", "projected", "ensemble", "self-supervised"]);
        await Assertions.Expect(page.Locator($"#job-init-from option[value='{StudioFixture.RunName}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#job-model option[value='fastgan']")).ToHaveCountAsync(1);

        // Playground: a grid from seeds; pick one; it shows large.
        await page.GotoAsync($"/#/play/{StudioFixture.RunName}");
        var tiles = page.Locator(".seed-tile");
        await Assertions.Expect(tiles).ToHaveCountAsync(16);
        await page.Locator("#seed-next").ClickAsync();
        await Assertions.Expect(tiles.First).ToHaveAttributeAsync("data-seed", "16");
        await tiles.Nth(3).ClickAsync();
        await Assertions.Expect(page.Locator("#large-seed")).ToContainTextAsync("seed 19");
        var large = page.Locator("#large-image");
        await WaitLoaded(large);
        var before = await large.GetAttributeAsync("src");
        var beforePixels = await Pixels(page, large);

        // A direction slider moves the picture, live.
        var slider = page.Locator(".direction-slider[data-direction='0']");
        await Assertions.Expect(slider).ToBeVisibleAsync();
        await slider.FocusAsync();
        for (int i = 0; i < 8; i++) await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(large).Not.ToHaveAttributeAsync("src", before!);
        // The slider's last value arrives after the first change under load: wait for it rather than read it once.
        await Assertions.Expect(large).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("edits=0%3A2(&|$)"));
        await WaitLoaded(large);
        Assert.NotEqual(beforePixels, await Pixels(page, large));
        await Assertions.Expect(page.Locator("#large-seed")).ToContainTextAsync("directions 0:2");

        // Variations and an interpolation.
        await page.Locator("#variations-button").ClickAsync();
        await Assertions.Expect(page.Locator("#variations img")).ToHaveCountAsync(8);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set as A" }).ClickAsync();
        await tiles.Nth(5).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set as B" }).ClickAsync();
        await page.Locator("#animate-button").ClickAsync();
        await WaitLoaded(page.Locator("#interpolation-gif"));
        await AllImagesLoaded(page);
        await Shot(page, "playground.png");

        // Favourite the moved image, reload, find it in the gallery.
        await tiles.Nth(3).ClickAsync();
        await slider.FillAsync("1.5");
        await page.Locator("#favourite-note").FillAsync("browser favourite");
        await page.Locator("#favourite-button").ClickAsync();
        await Assertions.Expect(page.Locator("#toast")).ToContainTextAsync("saved to the gallery");
        await page.GotoAsync("/#/gallery");
        await page.ReloadAsync();
        var favourite = page.Locator(".favourite", new() { HasText = "browser favourite" });
        await Assertions.Expect(favourite).ToBeVisibleAsync();
        await Assertions.Expect(favourite).ToContainTextAsync("seed 19");
        await Assertions.Expect(favourite).ToContainTextAsync("0:1.5");
        await WaitLoaded(favourite.Locator("img"));
        await Shot(page, "gallery.png");

        // The same pages at phone width: nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/#/play/{StudioFixture.RunName}");
        await Assertions.Expect(tiles).ToHaveCountAsync(16);
        Assert.True(await page.EvaluateAsync<bool>("document.scrollingElement.scrollWidth <= window.innerWidth"), "the playground scrolls sideways at phone width");
        await AllImagesLoaded(page);
        await Shot(page, "playground-phone.png");

        // Keyboard: the seed tiles are buttons reached with Tab and picked with Enter.
        await tiles.Nth(0).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#large-seed")).ToContainTextAsync("seed 1");

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task AnAutoencoderRunPageShowsReconstructionCurvesInsteadOfAGame()
    {
        const string name = "00010-vae-fashion-mnist28-page";
        studio.TrainTinyVae(name, steps: 6, sampleEvery: 3);
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await OpenPage(browser);
        await page.GotoAsync($"/#/run/{name}");
        await Assertions.Expect(page.Locator("#stat-step")).ToHaveTextAsync("6 / 6");
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "PSNR dB (batch)" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "KL" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "loss D" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("p.muted", new() { HasText = "samples from the decoder" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#loss-chart")).ToHaveAttributeAsync("aria-label", "reconstruction PSNR and KL by step");
        Assert.NotEqual("–", await page.Locator("#stat-lossd").TextContentAsync());
        await Shot(page, "autoencoder-run.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task APictureDrawnOnATransparentSheetIsProjectedFromThePlayground()
    {
        // A copy of the run, so the shared one keeps no projection folder.
        const string name = "00004-dcgan-rothko32-sketched";
        CliHarness.CopyDirectory(studio.RunPath, Path.Combine(studio.RunsRoot, name));
        var sketch = studio.Cli.PathOf("playground-sketch.png");
        using (var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(128, 128, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul)))
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        using (var pen = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(180, 30, 30), StrokeWidth = 12, IsAntialias = true, Style = SkiaSharp.SKPaintStyle.Stroke })
        {
            canvas.Clear(SkiaSharp.SKColors.Transparent);
            canvas.DrawLine(10, 110, 118, 18, pen);
            canvas.Flush();
            Imaging.ImageCodec.SavePng(bitmap, sketch);
        }
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await OpenPage(browser);
        await page.GotoAsync($"/#/play/{name}");
        // Without a picture the button says what is missing.
        await page.Locator("#projection-button").ClickAsync();
        await Assertions.Expect(page.Locator("#toast")).ToContainTextAsync("choose a picture first");
        await page.Locator("#projection-file").SetInputFilesAsync(sketch);
        await page.Locator("#projection-strokes").CheckAsync();
        await page.Locator("#projection-steps").SelectOptionAsync("100");
        await page.Locator("#projection-button").ClickAsync();
        await Assertions.Expect(page.Locator("#projection-status")).ToContainTextAsync("job");
        var comparison = page.Locator("#projection-comparison");
        await Assertions.Expect(comparison).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await WaitLoaded(comparison);
        await WaitLoaded(page.Locator("#projection-variations"));
        await WaitLoaded(page.Locator("#projection-walk"));
        // The strokes-only projection of this picture, with its mask, is in the run.
        var folder = Directory.GetDirectories(Path.Combine(studio.RunsRoot, name, "projection"), "*-s100-e20-strokes").Single();
        Assert.True(File.Exists(Path.Combine(folder, "mask.png")));
        Assert.EndsWith("projection-1.latent.json?download=1", await page.Locator("#projection-latent").GetAttributeAsync("href"));
        await page.Locator("#projection-result").ScrollIntoViewIfNeededAsync();
        await Shot(page, "playground-projection.png");
        // Favourite the closest; the gallery shows it as a projection.
        await page.Locator("#favourite-note").FillAsync("sketched line");
        await page.Locator("#projection-favourite").ClickAsync();
        await Assertions.Expect(page.Locator("#toast")).ToContainTextAsync("saved to the gallery");
        await page.GotoAsync($"/#/gallery/{name}");
        var kept = page.Locator(".favourite", new() { HasText = "sketched line" });
        await Assertions.Expect(kept).ToContainTextAsync("projection of a picture");
        await WaitLoaded(kept.Locator("img"));
        // The jobs list names it.
        await page.GotoAsync("/#/train");
        await Assertions.Expect(page.Locator("#jobs td", new() { HasText = "project a picture: 100 steps, strokes only" }).First).ToBeVisibleAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task APictureIsRestyledFromTheStylePage()
    {
        var content = studio.Cli.PathOf("style-content.png");
        var style = studio.Cli.PathOf("style-stripes.png");
        using (var bitmap = new SkiaSharp.SKBitmap(96, 64))
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        using (var paint = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(30, 120, 60), IsAntialias = true })
        {
            canvas.Clear(new SkiaSharp.SKColor(240, 230, 200));
            canvas.DrawCircle(48, 32, 20, paint);
            canvas.Flush();
            Imaging.ImageCodec.SavePng(bitmap, content);
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 96; x++) bitmap.SetPixel(x, y, x / 6 % 2 == 0 ? new SkiaSharp.SKColor(220, 180, 20) : new SkiaSharp.SKColor(40, 20, 90));
            Imaging.ImageCodec.SavePng(bitmap, style);
        }
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await OpenPage(browser);
        await page.GotoAsync("/#/style");
        await Assertions.Expect(page.Locator("nav a[data-nav='style']")).ToHaveAttributeAsync("aria-current", "page");
        await page.Locator("#style-button").ClickAsync();
        await Assertions.Expect(page.Locator("#toast")).ToContainTextAsync("choose a picture and a style image first");
        await page.Locator("#style-content").SetInputFilesAsync(content);
        await page.Locator("#style-image").SetInputFilesAsync(style);
        await page.Locator("#style-size").SelectOptionAsync("128");
        await page.Locator("#style-steps").SelectOptionAsync("50");
        await page.Locator("#style-preserve").CheckAsync();
        await page.Locator("#style-button").ClickAsync();
        var output = page.Locator("#style-output");
        await Assertions.Expect(output).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await WaitLoaded(output);
        Assert.Equal(128, await output.EvaluateAsync<int>("i => i.naturalWidth"));
        Assert.EndsWith(".png?download=1", await page.Locator("#style-download").GetAttributeAsync("href"));
        await Shot(page, "style.png");
        await page.GotoAsync("/#/train");
        await Assertions.Expect(page.Locator("#jobs td", new() { HasText = "style transfer: 128 px, 50 steps, strength 1, colours kept" }).First).ToBeVisibleAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>Waits until every image with a source on the page has loaded (and none is broken).</summary>
    private static async Task AllImagesLoaded(IPage page) =>
        await page.WaitForFunctionAsync("() => Array.from(document.images).filter(i => i.getAttribute('src')).every(i => i.complete && i.naturalWidth > 0)");

    private static async Task WaitLoaded(ILocator image)
    {
        await Assertions.Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.EvaluateAsync<int>("i => i.naturalWidth") > 0, "the image did not load");
    }

    /// <summary>The picture's pixels as the browser decoded them.</summary>
    private static Task<string> Pixels(IPage page, ILocator image) => image.EvaluateAsync<string>("""
        i => { const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;
               const g = c.getContext('2d'); g.drawImage(i, 0, 0); return Array.from(g.getImageData(0, 0, c.width, c.height).data).join(','); }
        """);
}
