namespace StreamingApp.Network;

/// <summary>Fails the start on a trusted proxy entry that is neither a CIDR nor an address, naming it.</summary>
public sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        List<string>? failures = null;
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (TrustedProxies.Parse(options.TrustedProxies[i]) is null)
            {
                (failures ??= []).Add(
                    $"Network:TrustedProxies:{i} '{options.TrustedProxies[i]}' is neither a CIDR (10.0.0.0/8, the address's host bits zero) nor an IP address.");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
