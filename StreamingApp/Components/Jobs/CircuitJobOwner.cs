using Microsoft.AspNetCore.Components.Authorization;

namespace StreamingApp.Components.Jobs;

/// <summary>
/// Whose jobs the jobs pages show and may delete: the signed-in user's (the user the circuit, or the prerendering
/// request, was opened with), or any owner's when the app runs without sign-in. Circuit-scoped.
/// </summary>
public sealed class CircuitJobOwner(AuthenticationStateProvider authentication, IJobOwnerResolver owners)
{
    public async Task<string?> GetAsync() => owners.OwnerOf((await authentication.GetAuthenticationStateAsync()).User);
}
