using System.CommandLine;
using PaperMailer.Configuration;
using PaperMailer.Jobs;
using PaperMailer.Storage.Sqlite;
using PaperMailer.Topics;
using PaperMailer.Web;

namespace PaperMailer.Cli.Commands;

internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("run", "Run the service: scheduled collection and digests, and the web pages behind the links in emails (address from --urls).");
        command.SetAction(async (parse, ct) =>
        {
            if (context.LoadConfiguration() is not { } configuration) return ExitCodes.Configuration;
            WebApplication app;
            try
            {
                app = Build(configuration);
                // Fail on a broken database, topics file or signing key now, not at the first scheduled run.
                await app.Services.GetRequiredService<SqliteDatabase>().MigrateAsync(ct);
                await app.Services.GetRequiredService<SqliteTopicMirror>().SyncAsync(app.Services.GetRequiredService<ITopicCatalog>().All, ct);
                _ = app.Services.GetRequiredService<Subscriptions.SubscriberLinks>();
            }
            catch (InvalidOperationException ex)
            {
                context.Error.WriteLine($"PaperMailer cannot start: {ex.Message}");
                return ExitCodes.Configuration;
            }
            await app.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <param name="configureServices">Replaces services after the defaults (tests swap the clock here).</param>
    public static WebApplication Build(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        // Our layering (file, environment, command line) replaces ASP.NET Core's defaults, so both read the same keys.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders().AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd HH:mm:ss "; });
        builder.Services.AddPaperMailer(builder.Configuration);
        // On SIGTERM the host waits for the digest check in flight, whose sends may each take Smtp:Timeout.
        var smtpTimeout = builder.Configuration.GetValue("Smtp:Timeout", TimeSpan.FromMinutes(1));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(30, 3 * smtpTimeout.TotalSeconds + 10)));
        var database = new SqliteDatabase(builder.Configuration["Storage:ConnectionString"] ?? new Storage.StorageOptions().ConnectionString);
        builder.Services.AddSingleton(database);
        builder.Services.AddPaperMailerSchedule(builder.Configuration, database);
        builder.Services.AddHealthChecks();
        builder.Services.AddSite();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddHostedService<TemplateWatcher>();
        var app = builder.Build();
        app.UseSite();
        app.MapHealthChecks("/healthz");
        app.MapSite();
        return app;
    }
}
