using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Atelier.Studio;

/// <summary>Serves the front end (plain HTML, CSS and JavaScript embedded in the assembly).</summary>
internal static class StaticAssets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type)> Files = Load();

    public static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext c) => Serve(c, "index.html"));
        app.MapGet("/assets/{name}", (HttpContext c, string name) => Serve(c, name));
    }

    private static IResult Serve(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var file)) return Results.NotFound(new { error = $"no asset '{RunIndex.Clip(name)}'", status = 404 });
        context.Response.Headers.CacheControl = "no-cache";
        if (name == "index.html")
            context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'";
        return Results.Bytes(file.Bytes, file.Type);
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var name = resource["wwwroot/".Length..];
            var type = Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                _ => "application/octet-stream",
            };
            files[name] = (memory.ToArray(), type);
        }
        return files.ToFrozenDictionary();
    }
}
