using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the portfolio HTTP endpoints' services (學習歷程模組 API) in an ASP.NET Core host.</summary>
public static class PortfolioEndpointsServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapPortfolioEndpoints</c> needs: the options (validated at start), authorization with the
    /// permission handler and the 401/403 problem details, problem details, antiforgery, the per-user upload rate limiter
    /// and the OpenAPI document <see cref="PortfolioEndpointDefaults.OpenApiDocumentName"/> (the host serves it with <c>MapOpenApi()</c>). The module itself comes from
    /// <c>AddPortfolioModule</c>; the host's user becomes an actor through <see cref="AddPortfolioActorResolver{T}"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioEndpoints(this IServiceCollection services, Action<PortfolioEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<PortfolioEndpointOptions>().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        AddCore(services);
        return services;
    }

    /// <summary>Registers the endpoints as <see cref="AddPortfolioEndpoints(IServiceCollection, Action{PortfolioEndpointOptions}?)"/> does, with the options bound from configuration (<c>Portfolio:Endpoints</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The endpoints' section (not the root).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioEndpoints(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PortfolioEndpointOptions>().Bind(configuration).ValidateOnStart();
        AddCore(services);
        return services;
    }

    /// <summary>Registers the host's <see cref="IPortfolioActorResolver"/> (scoped: it may use the request's services, e.g. the SIS).</summary>
    /// <typeparam name="T">The resolver.</typeparam>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioActorResolver<T>(this IServiceCollection services)
        where T : class, IPortfolioActorResolver
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<IPortfolioActorResolver>();
        services.AddScoped<IPortfolioActorResolver, T>();
        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(PortfolioEndpointsMarker)))
        {
            return;
        }

        services.AddSingleton<PortfolioEndpointsMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortfolioEndpointOptions>, PortfolioEndpointOptionsValidator>());
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, PortfolioPermissionHandler>());
        DecorateResultHandler(services);
        services.AddProblemDetails();
        services.AddAntiforgery();
        services.TryAddSingleton<PortfolioUploadRateLimiter>();
        services.AddOpenApi(PortfolioEndpointDefaults.OpenApiDocumentName, PortfolioOpenApi.Configure);
    }

    // The portfolio endpoints answer refusals with problem details; every other endpoint keeps the host's handler.
    private static void DecorateResultHandler(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler));
        if (existing is not null)
        {
            services.Remove(existing);
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(sp =>
        {
            IAuthorizationMiddlewareResultHandler inner = existing switch
            {
                { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => instance,
                { ImplementationFactory: { } factory } => (IAuthorizationMiddlewareResultHandler)factory(sp),
                { ImplementationType: { } type } => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(sp, type),
                _ => new AuthorizationMiddlewareResultHandler(),
            };
            return new PortfolioAuthorizationResultHandler(inner, sp.GetRequiredService<ILogger<PortfolioAuthorizationResultHandler>>());
        });
    }
}

/// <summary>Marks that <c>AddPortfolioEndpoints</c> ran.</summary>
internal sealed class PortfolioEndpointsMarker;

internal sealed class PortfolioEndpointOptionsValidator : IValidateOptions<PortfolioEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, PortfolioEndpointOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFilesPerUpload is < 1 or > 100)
        {
            failures.Add($"{PortfolioEndpointOptions.SectionName}:MaxFilesPerUpload must be 1 to 100; got {options.MaxFilesPerUpload}.");
        }

        if (options.MaxFormFieldBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add($"{PortfolioEndpointOptions.SectionName}:MaxFormFieldBytes must be 1 KiB to 16 MiB; got {options.MaxFormFieldBytes}.");
        }

        if (options.UploadsPerWindow < 1)
        {
            failures.Add($"{PortfolioEndpointOptions.SectionName}:UploadsPerWindow must be at least 1; got {options.UploadsPerWindow}.");
        }

        if (options.UploadWindow <= TimeSpan.Zero)
        {
            failures.Add($"{PortfolioEndpointOptions.SectionName}:UploadWindow must be positive; got {options.UploadWindow}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
