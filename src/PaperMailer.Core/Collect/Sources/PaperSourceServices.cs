using System.Net;
using PaperMailer.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PaperMailer.Collect.Sources;

public static class PaperSourceServices
{
    /// <summary>The network sources with their options, one HTTP client for all of them, and the shared arXiv pacer.</summary>
    public static IServiceCollection AddPaperSources(this IServiceCollection services)
    {
        services.AddSource<HuggingFaceSourceOptions>(HuggingFaceSourceOptions.SectionName);
        services.AddSource<ArxivSourceOptions>(ArxivSourceOptions.SectionName);
        services.AddSource<ArxivFeedSourceOptions>(ArxivFeedSourceOptions.SectionName);
        services.AddSingleton(_ => new SourceHttpClient(CreateHttpClient(), _.GetRequiredService<TimeProvider>(),
            _.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SourceHttpClient>>()));
        services.AddSingleton<ArxivRequestPacer>();
        services.AddSingleton<HuggingFaceDailyPapersSource>();
        services.AddSingleton<ArxivApiSource>();
        services.AddSingleton<ArxivFeedSource>();
        services.AddSingleton<PaperSourceSet>();
        return services;
    }

    private static void AddSource<TOptions>(this IServiceCollection services, string section) where TOptions : HttpSourceOptions, new()
    {
        services.AddSettings<TOptions>(section);
        services.AddSettingsRules(new HttpSourceOptionsRules<TOptions>(section));
    }

    private static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        // Timeouts are per request, set by each source's options.
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        // arXiv asks API clients to say who they are.
        client.DefaultRequestHeaders.UserAgent.ParseAdd("PaperMailer/1.0 (self-hosted research digest)");
        return client;
    }
}
