using StreamingApp.Network;

namespace StreamingApp.Tests.Network;

public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData(" 192.168.4.0/24 ", "192.168.4.0/24")]
    [InlineData("10.1.2.3", "10.1.2.3/32")]
    [InlineData("::1", "::1/128")]
    [InlineData("fd00::/8", "fd00::/8")]
    public void Parse_CidrOrAddress_Network(string entry, string expected)
    {
        Assert.Equal(IPNetwork.Parse(expected), TrustedProxies.Parse(entry));
    }

    [Theory]
    [InlineData("10.0.0.1/8")] // host bits set: almost certainly a typo for 10.0.0.0/8 or 10.0.0.1/32
    [InlineData("10.0.0.0/33")]
    [InlineData("proxy.example")]
    [InlineData("")]
    public void Parse_Nonsense_Null(string entry)
    {
        Assert.Null(TrustedProxies.Parse(entry));
    }

    [Fact]
    public void Contains_NothingConfigured_LoopbackOnly()
    {
        var trusted = Create();

        Assert.True(trusted.Contains(IPAddress.Loopback));
        Assert.True(trusted.Contains(IPAddress.Parse("127.45.6.7")));
        Assert.True(trusted.Contains(IPAddress.IPv6Loopback));
        Assert.True(trusted.Contains(IPAddress.Loopback.MapToIPv6()));
        Assert.False(trusted.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.False(trusted.Contains(IPAddress.Parse("::ffff:10.0.0.1")));
    }

    [Fact]
    public void Contains_Configured_ReplacesLoopback()
    {
        var trusted = Create("10.0.0.0/8", "fd00::1");

        Assert.True(trusted.Contains(IPAddress.Parse("10.200.3.4")));
        Assert.True(trusted.Contains(IPAddress.Parse("::ffff:10.200.3.4")));
        Assert.True(trusted.Contains(IPAddress.Parse("fd00::1")));
        Assert.False(trusted.Contains(IPAddress.Parse("fd00::2")));
        Assert.False(trusted.Contains(IPAddress.Loopback));
    }

    [Fact]
    public void Validate_BadEntry_FailsNamingKeyAndValue()
    {
        var result = new NetworkOptionsValidator().Validate(null, new NetworkOptions { TrustedProxies = ["10.0.0.0/8", "10.0.0.1/8"] });

        Assert.True(result.Failed);
        Assert.Contains("Network:TrustedProxies:1 '10.0.0.1/8'", result.FailureMessage, StringComparison.Ordinal);
    }

    private static TrustedProxies Create(params string[] entries) =>
        new(Options.Create(new NetworkOptions { TrustedProxies = [.. entries] }));
}
