using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Outbox;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Digest;
using PaperMailer.Digest.Composing;
using PaperMailer.Digest.Delivering;
using PaperMailer.Digest.Planning;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Storage.Sqlite;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Configuration;

public static class PaperMailerServices
{
    /// <summary>Registers every pipeline stage with its options bound from configuration.</summary>
    public static IServiceCollection AddPaperMailer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<DkimOptions>().Bind(configuration.GetSection(DkimOptions.SectionName));
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<SubscriptionOptions>().Bind(configuration.GetSection(SubscriptionOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<TemplateOptions>().Bind(configuration.GetSection(TemplateOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<RankingOptions>().Bind(configuration.GetSection(RankingOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<DigestOptions>().Bind(configuration.GetSection(DigestOptions.SectionName));
        services.AddOptions<TopicOptions>().Bind(configuration.GetSection(TopicOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<CollectOptions>().Bind(configuration.GetSection(CollectOptions.SectionName));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.AddSingleton<IPaperStore, SqlitePaperStore>();
        services.AddSingleton<ISubscriberStore, SqliteSubscriberStore>();
        services.AddSingleton<IDeliveryLedger, SqliteDeliveryLedger>();
        services.AddSingleton<IConsentLog, SqliteConsentLog>();
        services.AddSingleton<SqliteTopicMirror>();
        services.AddSingleton<ITopicCatalog, TopicsFileCatalog>();

        services.AddSingleton<ISourceWatermarks, SqliteSourceWatermarks>();
        services.AddPaperSources(configuration);
        services.AddSingleton<PaperCollector>();
        services.AddSemanticRanking();
        services.AddSingleton<PaperRanker>();
        services.AddSingleton<TemplateLibrary>();
        services.AddSingleton(sp => new DigestRenderer(sp.GetRequiredService<TemplateLibrary>()));
        services.AddSingleton<SubscriberLinks>();
        services.AddSingleton<ConfirmationEmailRenderer>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<MailMessageFactory>();
        services.AddSingleton<SendPacer>();
        services.AddSingleton<DigestPlanner>();
        services.AddSingleton<DigestComposer>();
        services.AddSingleton<AttemptPolicy>();
        services.AddSingleton<DigestDeliverer>();
        services.AddSingleton<DigestRun>();
        services.AddSingleton<DigestPreview>();
        services.AddSingleton<DkimMessageSigner>();
        services.AddSingleton<RecipientDomainLimiter>();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.Transport switch
        {
            TransportKind.Smtp => ActivatorUtilities.CreateInstance<SmtpTransport>(sp),
            _ => ActivatorUtilities.CreateInstance<OutboxTransport>(sp),
        });
        return services;
    }
}
