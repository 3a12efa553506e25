using Microsoft.Extensions.Options;
using PaperMailer.Configuration;
using PaperMailer.Subscriptions;

namespace PaperMailer.Web;

/// <summary>The web site of `papermailer run`: its services, what runs around every request, and its endpoints.</summary>
public static class SiteServices
{
    public static IServiceCollection AddSite(this IServiceCollection services)
    {
        // X-Frame-Options comes from SecurityHeaders, for every response rather than only for pages with a form.
        services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        services.AddSettings<AdminOptions>(AdminOptions.SectionName);
        services.AddSingleton<AdminAccess>();
        services.AddSingleton<SitePages>();
        services.AddSingleton<SecurityHeaders>();
        services.AddSingleton<TopicExamples>();
        services.AddKeyedSingleton(SubscribeEndpoints.EmailsPerClientLimit, (provider, _) => new ClientLimit(
            provider.GetRequiredService<IOptions<SubscriptionOptions>>().Value.MaxRequestsPerIpPerHour, TimeSpan.FromHours(1), provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Security headers on every response, and an error page for every error (<see cref="ErrorPages"/>).</summary>
    public static WebApplication UseSite(this WebApplication app)
    {
        var headers = app.Services.GetRequiredService<SecurityHeaders>();
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                headers.Apply(http);
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.UseErrorPages();
        return app;
    }

    public static WebApplication MapSite(this WebApplication app)
    {
        var site = app.MapGroup("").AddEndpointFilter(SiteForms.LimitBody);
        site.MapSubscribe();
        site.MapManage();
        site.MapManageRatings();
        site.MapUnsubscribe();
        site.MapRatings();
        site.MapDigestArchive();
        app.MapAdmin();
        return app;
    }
}
