using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;
using PaperMailer.Storage.Postgres;
using PaperMailer.Storage.Sqlite;

namespace PaperMailer.Storage;

public static class StorageServices
{
    /// <summary>
    /// The stores of the provider Storage:Provider names, registered under their contracts: the rest of the program
    /// sees only the contracts (and <see cref="IStoreDatabase"/>). Each provider's database object is one per container;
    /// only the chosen one is ever created.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddSettings<StorageOptions>(StorageOptions.SectionName);
        services.AddSettingsRules<StorageOptions, StorageOptionsRules>();
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.AddByProvider<IStoreDatabase, SqliteDatabase, PostgresDatabase>();
        services.AddByProvider<IPaperStore, SqlitePaperStore, PostgresPaperStore>();
        services.AddByProvider<IPaperVectorStore, SqlitePaperVectorStore, PostgresPaperVectorStore>();
        services.AddByProvider<ITextVectorStore, SqliteTextVectorStore, PostgresTextVectorStore>();
        services.AddByProvider<ISubscriberStore, SqliteSubscriberStore, PostgresSubscriberStore>();
        services.AddByProvider<IDeliveryLedger, SqliteDeliveryLedger, PostgresDeliveryLedger>();
        services.AddByProvider<IDigestArchive, SqliteDigestArchive, PostgresDigestArchive>();
        services.AddByProvider<IConsentLog, SqliteConsentLog, PostgresConsentLog>();
        services.AddByProvider<ITopicMirror, SqliteTopicMirror, PostgresTopicMirror>();
        services.AddByProvider<ISourceWatermarks, SqliteSourceWatermarks, PostgresSourceWatermarks>();
        services.AddByProvider<ISourceStatusLog, SqliteSourceStatusLog, PostgresSourceStatusLog>();
        services.AddByProvider<IDigestRunLog, SqliteDigestRunLog, PostgresDigestRunLog>();
        services.AddByProvider<IBounceLog, SqliteBounceLog, PostgresBounceLog>();
        services.AddByProvider<IRatingStore, SqliteRatingStore, PostgresRatingStore>();
        return services;
    }

    private static void AddByProvider<TContract, TSqlite, TPostgres>(this IServiceCollection services)
        where TContract : class
        where TSqlite : class, TContract
        where TPostgres : class, TContract
    {
        services.AddSingleton<TContract>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Postgres => sp.GetService<TPostgres>() ?? ActivatorUtilities.CreateInstance<TPostgres>(sp),
            _ => sp.GetService<TSqlite>() ?? ActivatorUtilities.CreateInstance<TSqlite>(sp),
        });
    }
}
