using System.Security.Claims;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Who owns the jobs a request (or a UI circuit) sees: the owner string the store scopes reads and deletes to, or
/// null for "any owner" when the app runs without authentication. The host registers the one that fits its
/// authentication; <see cref="ClaimsJobOwnerResolver"/> is the default.
/// </summary>
public interface IJobOwnerResolver
{
    string? OwnerOf(ClaimsPrincipal user);
}

/// <summary>
/// An authenticated user owns their jobs under their stable id (<see cref="ClaimTypes.NameIdentifier"/>, e.g. an
/// OpenID Connect <c>sub</c>) or else their name; an unauthenticated request (<c>Auth:Mode</c> = <c>none</c>) gets null.
/// </summary>
public sealed class ClaimsJobOwnerResolver : IJobOwnerResolver
{
    /// <summary>Longest owner kept: user ids are short; a longer one is a misconfigured header, refused loudly.</summary>
    public const int MaxOwnerLength = 256;

    public string? OwnerOf(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        var owner = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? identity.Name;
        if (string.IsNullOrEmpty(owner) || owner.Length > MaxOwnerLength)
        {
            throw new InvalidOperationException($"The authenticated user has no usable id (NameIdentifier or Name, 1 to {MaxOwnerLength} characters).");
        }

        return owner;
    }
}
