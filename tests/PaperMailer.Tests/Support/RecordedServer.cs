using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaperMailer.Tests.Support;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) standing in for Hugging Face and arXiv: each test tells it
/// how to answer, typically by replaying a recorded payload, and reads back the requests it received.
/// </summary>
public sealed class RecordedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordedServer(WebApplication app) => _app = app;

    /// <summary>Answers every request; receives the request's number (0 for the first).</summary>
    public Func<HttpContext, int, Task> Handle { get; set; } = (context, _) => { context.Response.StatusCode = 404; return Task.CompletedTask; };

    /// <summary>Path and query of every request, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public static async Task<RecordedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new RecordedServer(app);
        var count = -1;
        app.Run(async context =>
        {
            server.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
            await server.Handle(context, Interlocked.Increment(ref count));
        });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public static Task Send(HttpContext context, byte[] body, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
