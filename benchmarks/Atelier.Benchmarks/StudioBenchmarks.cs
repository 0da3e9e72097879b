using System.Diagnostics;
using System.Globalization;
using System.Net;
using Atelier.Studio;
using Microsoft.Playwright;

namespace Atelier.Benchmarks;

/// <summary>The Studio under load on loopback, and screenshots of its pages for the documentation.</summary>
internal static class StudioBenchmarks
{
    /// <summary>
    /// p50/p99 latency of 16-image grids (seeds drawn at random, so nothing is cached) at 1, 10 and 50 concurrent
    /// clients, each sending its next request as soon as the last is answered, for a fixed time per level.
    /// </summary>
    public static async Task Load(string runs, string run, double seconds)
    {
        await using var server = StudioServer.Create(new StudioOptions { RunsRoot = runs, Port = 0, CatalogPath = Path.Combine(Path.GetTempPath(), $"atelier-load-{Environment.ProcessId}.db") });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(120) };
        // Load the generator once so the first level does not time the checkpoint load.
        (await http.GetAsync($"/api/runs/{run}/grid.png?count=16")).EnsureSuccessStatusCode();
        Console.WriteLine($"| clients | requests | answered 200 | answered 503 | p50 ms | p99 ms | max ms | grids/s |");
        Console.WriteLine($"|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int clients in new[] { 1, 10, 50 })
        {
            var latencies = new List<double>();
            int ok = 0, busy = 0, other = 0;
            var stop = Stopwatch.StartNew();
            var gate = new Lock();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                var random = new Random(c);
                while (stop.Elapsed.TotalSeconds < seconds)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await http.GetAsync($"/api/runs/{run}/grid.png?count=16&start={random.Next(0, 1_000_000)}");
                    await response.Content.ReadAsByteArrayAsync();
                    double ms = clock.Elapsed.TotalMilliseconds;
                    lock (gate)
                    {
                        if (response.StatusCode == HttpStatusCode.OK) { ok++; latencies.Add(ms); }
                        else if (response.StatusCode == HttpStatusCode.ServiceUnavailable) busy++;
                        else other++;
                    }
                }
            }));
            double elapsed = stop.Elapsed.TotalSeconds;
            latencies.Sort();
            double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {ok + busy + other} | {ok} | {busy} | {P(0.5):F0} | {P(0.99):F0} | {(latencies.Count > 0 ? latencies[^1] : double.NaN):F0} | {ok / elapsed:F1} |"));
            if (other > 0) Console.WriteLine($"  {other} answers were neither 200 nor 503");
        }
        Console.WriteLine($"server: {server.Services.Generators.Served} grids served, {server.Services.Generators.Refused} refused; working set {Environment.WorkingSet / (1 << 20)} MiB");
    }

    /// <summary>Screenshots of the runs page, a run page, the playground (with a moved direction) and the gallery, in Debian's chromium.</summary>
    public static async Task Screenshots(string runs, string run, string outFolder)
    {
        await using var server = StudioServer.Create(new StudioOptions { RunsRoot = runs, Port = 0, CatalogPath = Path.Combine(Path.GetTempPath(), $"atelier-shots-{Environment.ProcessId}.db") });
        await server.StartAsync();
        Directory.CreateDirectory(outFolder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 }, BaseURL = server.Address.ToString() });
        async Task Shot(string name, bool full = false)
        {
            await page.WaitForFunctionAsync("() => Array.from(document.images).filter(i => i.getAttribute('src')).every(i => i.complete && i.naturalWidth > 0)");
            await page.WaitForTimeoutAsync(300);
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.ScreenshotAsync(new() { Path = Path.Combine(outFolder, name), FullPage = full });
            Console.WriteLine($"wrote {Path.Combine(outFolder, name)}");
        }
        await page.GotoAsync("/");
        await page.Locator(".run-card").First.WaitForAsync();
        await Shot("studio-runs.png");
        await page.GotoAsync($"/#/run/{Uri.EscapeDataString(run)}");
        await page.Locator("#timeline-image").WaitForAsync();
        await Shot("studio-run.png");
        await page.GotoAsync($"/#/play/{Uri.EscapeDataString(run)}");
        await page.Locator(".seed-tile").Nth(15).WaitForAsync();
        await page.Locator(".seed-tile").Nth(5).ClickAsync();
        await page.Locator(".direction-slider").First.WaitForAsync();
        await page.Locator(".direction-slider").Nth(0).FillAsync("2");
        await page.WaitForTimeoutAsync(400);
        await page.Locator("#variations-button").ClickAsync();
        await Shot("studio-playground.png", full: true);
        foreach (var (seed, note) in new[] { (5, "moved along direction 0"), (9, "for the wall"), (12, "") })
        {
            if (seed != 5) await page.GetByRole(AriaRole.Button, new() { Name = "Reset directions" }).ClickAsync();
            await page.Locator($".seed-tile[data-seed='{seed}']").ClickAsync();
            await page.Locator("#favourite-note").FillAsync(note);
            await page.Locator("#favourite-button").ClickAsync();
            await page.Locator("#toast", new() { HasText = "saved" }).WaitForAsync();
        }
        await page.GotoAsync("/#/gallery");
        await page.Locator(".favourite").First.WaitForAsync();
        await page.WaitForTimeoutAsync(3200); // the "saved" notice fades
        await Shot("studio-gallery.png");
    }
}
