using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// Signed-in users for tests of what is scoped to a user: an authentication scheme that takes the user name from a
/// test header, so the app's own owner resolution (<c>HttpContext.User</c> → owner) runs unchanged.
/// </summary>
public static class TestUsers
{
    private const string SchemeName = "TestUser";
    private const string Header = "X-Test-User";

    public static void Add(IServiceCollection services) =>
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderHandler>(SchemeName, null);

    public static HttpClient Client<T>(WebApplicationFactory<T> app, string user)
        where T : class
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(Header, user);
        return client;
    }

    private sealed class HeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers[Header] is [{ Length: > 0 } user]
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], SchemeName)), SchemeName))
                : AuthenticateResult.NoResult());
    }
}
