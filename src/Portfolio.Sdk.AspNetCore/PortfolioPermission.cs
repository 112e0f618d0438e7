using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>One operation of the permission matrix (<see cref="PermissionMatrix"/>) with the scopes in which it opens an endpoint.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="Scopes">The scopes that suffice (e.g. a class view takes <see cref="PermissionScope.OwnClasses"/> or <see cref="PermissionScope.School"/>).</param>
public sealed record PortfolioPermissionGrant(PortfolioOperation Operation, IReadOnlySet<PermissionScope> Scopes)
{
    /// <summary>Gets whether <paramref name="role"/> holds the operation in one of the scopes.</summary>
    /// <param name="role">The role.</param>
    /// <returns><see langword="true"/> when the matrix gives the role the operation in one of <see cref="Scopes"/>.</returns>
    public bool Allows(PortfolioRole role) => PermissionMatrix.ScopeOf(role, Operation) is var scope && scope != PermissionScope.None && Scopes.Contains(scope);
}

/// <summary>
/// What an endpoint requires (端點權限): one or more operations of the permission matrix, each with its scopes; an actor
/// passes when one of its roles holds one of them. Every endpoint of <c>MapPortfolioEndpoints</c> carries one as
/// endpoint metadata, enforced by an authorization policy (<see cref="PortfolioPermissionRequirement"/>).
/// </summary>
public sealed class PortfolioEndpointAccess
{
    /// <summary>Initializes the permission.</summary>
    /// <param name="grants">The operations (with scopes) that open the endpoint; at least one.</param>
    public PortfolioEndpointAccess(params PortfolioPermissionGrant[] grants)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentOutOfRangeException.ThrowIfZero(grants.Length);
        Grants = grants;
    }

    /// <summary>Gets the operations that open the endpoint.</summary>
    public IReadOnlyList<PortfolioPermissionGrant> Grants { get; }

    /// <summary>Gets the operation named in a refusal (the first grant's).</summary>
    public PortfolioOperation PrimaryOperation => Grants[0].Operation;

    /// <summary>Gets whether <paramref name="role"/> opens the endpoint.</summary>
    /// <param name="role">The role.</param>
    /// <returns><see langword="true"/> when one grant allows it.</returns>
    public bool Allows(PortfolioRole role) => Grants.Any(g => g.Allows(role));

    /// <summary>Gets whether one of the actor's roles opens the endpoint.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public bool Allows(PortfolioActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Roles.Any(Allows);
    }

    internal static PortfolioEndpointAccess Of(PortfolioOperation operation, params PermissionScope[] scopes) =>
        new(new PortfolioPermissionGrant(operation, scopes.ToFrozenSet()));
}

/// <summary>The authorization requirement of a portfolio endpoint: an actor resolved by <see cref="IPortfolioActorResolver"/> whose roles hold the <see cref="Access"/>.</summary>
/// <param name="Access">What the endpoint requires.</param>
public sealed record PortfolioPermissionRequirement(PortfolioEndpointAccess Access) : IAuthorizationRequirement;

/// <summary>Resolves the actor once per request and keeps it (and any resolver failure) for the endpoint.</summary>
internal static class PortfolioActorAccessor
{
    private static readonly object ActorKey = new();
    private static readonly object FailureKey = new();

    public static async ValueTask<PortfolioActor?> ResolveAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ActorKey, out var cached))
        {
            return cached as PortfolioActor;
        }

        PortfolioActor? actor = null;
        try
        {
            var resolver = context.RequestServices.GetRequiredService<IPortfolioActorResolver>();
            actor = await resolver.ResolveAsync(context.User, context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A resolver failure becomes a 500 problem detail after authorization, never a page with a stack trace.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            context.Items[FailureKey] = exception;
        }

        context.Items[ActorKey] = actor;
        return actor;
    }

    public static PortfolioActor? Get(HttpContext context) => context.Items.TryGetValue(ActorKey, out var actor) ? actor as PortfolioActor : null;

    public static Exception? Failure(HttpContext context) => context.Items.TryGetValue(FailureKey, out var failure) ? failure as Exception : null;

    public static PortfolioActor Required(HttpContext context) =>
        Get(context) ?? throw new InvalidOperationException("The portfolio endpoint ran without an actor: the authorization middleware must run before it (UseAuthorization).");
}

/// <summary>Checks <see cref="PortfolioPermissionRequirement"/> against the resolved actor's roles (the scope's reach is the module's to check per item).</summary>
internal sealed class PortfolioPermissionHandler : AuthorizationHandler<PortfolioPermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PortfolioPermissionRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return;
        }

        var actor = await PortfolioActorAccessor.ResolveAsync(http).ConfigureAwait(false);
        if (actor is null)
        {
            context.Fail(new AuthorizationFailureReason(this, "No portfolio actor for this user."));
        }
        else if (requirement.Access.Allows(actor))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "The actor's roles do not hold the endpoint's operation."));
        }
    }
}
