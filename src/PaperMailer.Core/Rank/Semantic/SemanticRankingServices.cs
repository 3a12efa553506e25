using Microsoft.Extensions.DependencyInjection;

namespace PaperMailer.Rank.Semantic;

public static class SemanticRankingServices
{
    /// <summary>
    /// One embedding model per process (loaded on first use, so registering it costs nothing until something is
    /// embedded), and the paper and profile embedders over it. <see cref="RankingOptions.Semantic"/> decides whether
    /// ranking uses them.
    /// </summary>
    public static IServiceCollection AddSemanticRanking(this IServiceCollection services)
    {
        services.AddSingleton<ISentenceEmbedder, MiniLmSentenceEmbedder>();
        services.AddSingleton<PaperEmbedder>();
        services.AddSingleton<ProfileEmbedder>();
        return services;
    }
}
