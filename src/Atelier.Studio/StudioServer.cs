using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atelier.Platform;
using Atelier.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atelier.Studio;

/// <summary>The Studio web app: the JSON API, live events and the static front end, on Kestrel.</summary>
public sealed class StudioServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StudioServer(WebApplication app, StudioServices services)
    {
        _app = app;
        Services = services;
    }

    public StudioServices Services { get; }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:5173, once started.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public static StudioServer Create(StudioOptions options, Action<ILoggingBuilder>? logging = null)
    {
        if (!IPAddress.TryParse(options.Host == "localhost" ? "127.0.0.1" : options.Host, out var address))
            throw new OptionException($"--host: '{options.Host}' is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface).");
        if (options.Port is < 0 or > 65535) throw new OptionException($"--port: {options.Port} is outside 0..65535.");
        Directory.CreateDirectory(options.RunsRoot);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 512;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        var services = new StudioServices(options);
        bool loopbackOnly = IsLoopback(options.Host);
        builder.Services.AddSingleton(services);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers["X-Frame-Options"] = "DENY";
            try
            {
                // On loopback, only loopback names: a page elsewhere cannot reach the Studio by rebinding its own name.
                if (loopbackOnly && !IsLoopback(context.Request.Host.Host))
                    throw new StudioRequestException(421, $"the Studio answers only to localhost or 127.0.0.1, not '{RunIndex.Clip(context.Request.Host.Host)}'.");
                // Changes must come from the Studio's own pages: a form on another site cannot start or cancel jobs.
                if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                    && context.Request.Headers.Origin is { Count: > 0 } origin
                    && !string.Equals(origin.ToString(), $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase))
                    throw new StudioRequestException(403, $"requests that change things must come from the Studio's own pages, not from {RunIndex.Clip(origin.ToString())}.");
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (Status(e) is int status && !context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = status;
                if (status == 503) context.Response.Headers.RetryAfter = "2";
                await context.Response.WriteAsJsonAsync(new { error = e.Message.StartsWith("--", StringComparison.Ordinal) ? e.Message[2..] : e.Message, status }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away.
            }
        });
        StudioApi.Map(app, services);
        StaticAssets.Map(app);
        return new StudioServer(app, services);
    }

    public async Task StartAsync(CancellationToken cancel = default)
    {
        await _app.StartAsync(cancel).ConfigureAwait(false);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server has no address");
        Address = new Uri(first.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
    }

    /// <summary>Completes when the server is asked to stop: Ctrl+C, SIGTERM, or <see cref="DisposeAsync"/>.</summary>
    public Task Stopping
    {
        get
        {
            var done = new TaskCompletionSource();
            _app.Lifetime.ApplicationStopping.Register(() => done.TrySetResult());
            return done.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Services.Dispose();
    }

    private static int? Status(Exception e) => e switch
    {
        StudioRequestException r => r.Status,
        Platform.OptionException => 400, // a bug's ArgumentException is a 500, not the client's fault
        BadHttpRequestException b => b.StatusCode,
        JsonException => 400,
        FileNotFoundException or DirectoryNotFoundException => 404,
        InvalidDataException or CorruptCheckpointException => 422,
        _ => null,
    };
}

