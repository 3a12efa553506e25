using System.CommandLine;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;
using PaperMailer.Jobs;
using PaperMailer.Status;
using PaperMailer.Storage;
using PaperMailer.Topics;
using PaperMailer.Web;

namespace PaperMailer.Cli.Commands;

internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        // --urls and --Section:Key=value never reach this parser: they are taken out as settings first
        // (AppConfiguration.Split). --urls is declared here only so that `run --help` tells operators it exists.
        var urls = new Option<string?>("--urls")
        {
            Description = "Where the web pages listen, e.g. http://0.0.0.0:5080 (default: the Urls setting, http://localhost:5080). Any setting can be given as --Section:Key=value.",
            HelpName = "addresses",
        };
        var command = new Command("run", "Run the service: scheduled collection and digests, and the web pages behind the links in emails.") { urls };
        command.SetAction(async (parse, ct) =>
        {
            var app = Build(context.LoadConfiguration());
            // Settings, the topics file, the database and the signing key are checked now, not at the first scheduled run.
            StartupCheck.Run(app.Services, context.Error);
            await app.Services.GetRequiredService<IStoreDatabase>().MigrateAsync(ct);
            await app.Services.GetRequiredService<ITopicMirror>().SyncAsync(app.Services.GetRequiredService<ITopicCatalog>().All, ct);
            // A cluster's nodes must send with the same templates and sign with the same key: checked before any job runs.
            if (app.Services.GetRequiredService<ScheduleMode>().Clustered) await app.Services.GetRequiredService<ClusterMembership>().JoinAsync(ct);
            _ = app.Services.GetRequiredService<Subscriptions.SubscriberLinks>();
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
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<Deliver.SmtpOptions>>((o, smtp) =>
            o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(30, 3 * smtp.Value.Timeout.TotalSeconds + 10)));
        builder.Services.AddPaperMailerSchedule(builder.Configuration);
        builder.Services.AddOperatorStatus();
        builder.Services.AddHealthChecks().AddCheck<StatusHealthCheck>("status");
        builder.Services.AddMetricsEndpoint();
        builder.Services.AddSite();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddHostedService<TemplateWatcher>();
        var app = builder.Build();
        app.UseSite();
        app.MapHealthChecks("/healthz", HealthResponse.Options);
        app.MapMetrics();
        app.MapSite();
        return app;
    }
}
