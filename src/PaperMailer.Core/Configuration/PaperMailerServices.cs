using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperMailer.Bounces;
using PaperMailer.Collect;
using PaperMailer.Collect.Sources;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Dkim;
using PaperMailer.Deliver.Outbox;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Digest;
using PaperMailer.Digest.Archive;
using PaperMailer.Digest.Composing;
using PaperMailer.Digest.Delivering;
using PaperMailer.Digest.Planning;
using PaperMailer.Embed;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;
using PaperMailer.Render;
using PaperMailer.Storage;
using PaperMailer.Subscriptions;
using PaperMailer.Topics;

namespace PaperMailer.Configuration;

public static class PaperMailerServices
{
    /// <summary>Registers every pipeline stage with its options bound from configuration.</summary>
    public static IServiceCollection AddPaperMailer(this IServiceCollection services, IConfiguration configuration)
    {
        // BindConfiguration reads the container's configuration: the program's host registers its own, a bare collection gets this one.
        services.TryAddSingleton(configuration);
        services.AddStorage();
        services.AddSettings<DeliveryOptions>(DeliveryOptions.SectionName);
        services.AddSettingsRules<DeliveryOptions, DeliveryOptionsRules>();
        services.AddSettings<SmtpOptions>(SmtpOptions.SectionName);
        services.AddSettings<DkimOptions>(DkimOptions.SectionName);
        services.AddSettingsRules<DkimOptions, DkimOptionsRules>();
        services.AddSettings<WebOptions>(WebOptions.SectionName);
        services.AddSettingsRules<WebOptions, WebOptionsRules>();
        services.AddSettings<SubscriptionOptions>(SubscriptionOptions.SectionName);
        services.AddSettings<TemplateOptions>(TemplateOptions.SectionName);
        services.AddSettings<RankingOptions>(RankingOptions.SectionName);
        services.AddSettings<DigestOptions>(DigestOptions.SectionName);
        services.AddSettings<ScheduleOptions>(ScheduleOptions.SectionName);
        services.AddSettings<TopicOptions>(TopicOptions.SectionName);
        services.AddSettings<CollectOptions>(CollectOptions.SectionName);

        services.AddSingleton(TimeProvider.System);
        // Each container owns its meters (disposed with it); /metrics in `papermailer run` exports them.
        services.AddMetrics();
        services.AddSingleton<CollectMetrics>();
        services.AddSingleton<DigestMetrics>();
        services.AddSingleton<TemplateMetrics>();
        services.AddSingleton<SubscribeMetrics>();
        services.AddSingleton<ITopicCatalog, TopicsFileCatalog>();

        services.AddPaperSources();
        services.AddSingleton<PaperCollector>();
        services.AddSemanticRanking();
        services.AddSingleton<StoredPaperVectors>();
        services.AddSingleton<StoredProfileVectors>();
        services.AddSingleton<PaperRanker>();
        services.AddSingleton<TemplateLibrary>();
        services.AddSingleton(sp => new DigestRenderer(sp.GetRequiredService<TemplateLibrary>()));
        services.AddSingleton<SubscriberLinks>();
        services.AddSingleton<ConfirmationEmailRenderer>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<MailMessageFactory>();
        services.AddSingleton<SubscriberRatings>();
        services.AddSingleton<DigestPlanner>();
        services.AddSingleton<DigestComposer>();
        services.AddSingleton<AttemptPolicy>();
        services.AddSingleton<DigestDeliverer>();
        services.AddSingleton<DigestRun>();
        services.AddSingleton<DigestPreview>();
        services.AddSingleton<DigestWebCopy>();
        services.AddSingleton<SubscriberFeed>();
        services.AddSingleton<DkimMessageSigner>();
        services.AddSingleton<RecipientDomainLimiter>();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.Transport switch
        {
            TransportKind.Smtp => ActivatorUtilities.CreateInstance<SmtpTransport>(sp),
            _ => ActivatorUtilities.CreateInstance<OutboxTransport>(sp),
        });
        services.AddBounces();
        return services;
    }
}
