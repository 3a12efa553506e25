using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaperMailer.Tests.Support;

public static class ServiceDecoration
{
    /// <summary>
    /// Replaces the registered singleton <typeparamref name="T"/> with <paramref name="decorate"/> around it: the
    /// store of whichever provider the composition chose, so a test's stand-in never names a provider of its own.
    /// </summary>
    public static IServiceCollection Decorate<T>(this IServiceCollection services, Func<T, T> decorate) where T : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered, so there is nothing to decorate.");
        Func<IServiceProvider, object> create = registered switch
        {
            { ImplementationFactory: { } factory } => factory,
            { ImplementationInstance: { } instance } => _ => instance,
            { ImplementationType: { } type } => p => ActivatorUtilities.CreateInstance(p, type),
            _ => throw new InvalidOperationException($"{typeof(T).Name} is registered in a way that cannot be decorated."),
        };
        return services.Replace(ServiceDescriptor.Singleton<T>(p => decorate((T)create(p))));
    }
}
