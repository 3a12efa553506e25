using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PaperMailer.Collect.Sources;

public static class PaperSourceServices
{
    /// <summary>The network sources with their options, one HTTP client for all of them, and the shared arXiv pacer.</summary>
    public static IServiceCollection AddPaperSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HuggingFaceSourceOptions>().Bind(configuration.GetSection(HuggingFaceSourceOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<ArxivSourceOptions>().Bind(configuration.GetSection(ArxivSourceOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<ArxivFeedSourceOptions>().Bind(configuration.GetSection(ArxivFeedSourceOptions.SectionName)).ValidateDataAnnotations();
        services.AddSingleton(_ => new SourceHttpClient(CreateHttpClient(), _.GetRequiredService<TimeProvider>(),
            _.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SourceHttpClient>>()));
        services.AddSingleton<ArxivRequestPacer>();
        services.AddSingleton<HuggingFaceDailyPapersSource>();
        services.AddSingleton<ArxivApiSource>();
        services.AddSingleton<ArxivFeedSource>();
        services.AddSingleton<PaperSourceSet>();
        return services;
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
