namespace StreamingApp.Auth;

/// <summary>Fails the start on an <c>Auth</c> section that cannot work, naming the key.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        List<string>? failures = null;
        if (!Enum.IsDefined(options.Mode))
        {
            (failures ??= []).Add($"Auth:Mode must be none, proxy or oidc; got {options.Mode}.");
        }

        if (options.Mode == AuthMode.Proxy && string.IsNullOrWhiteSpace(options.Proxy.UserHeader))
        {
            (failures ??= []).Add("Auth:Proxy:UserHeader must name a header (e.g. X-Forwarded-User).");
        }

        if (options.Mode == AuthMode.Oidc)
        {
            if (!Uri.TryCreate(options.Oidc.Authority, UriKind.Absolute, out var authority))
            {
                (failures ??= []).Add("Auth:Oidc:Authority must be the provider's issuer URL.");
            }
            else if (options.Oidc.RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps)
            {
                (failures ??= []).Add($"Auth:Oidc:Authority must be https ({authority}); Auth:Oidc:RequireHttpsMetadata=false only for a test provider.");
            }

            if (string.IsNullOrWhiteSpace(options.Oidc.ClientId))
            {
                (failures ??= []).Add("Auth:Oidc:ClientId is required.");
            }
        }

        if (options.MetricsPort is < 1 or > 65535)
        {
            (failures ??= []).Add($"Auth:MetricsPort must be a port number; got {options.MetricsPort}.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
