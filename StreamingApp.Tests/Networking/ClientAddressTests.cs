using StreamingApp.Core.Networking;

namespace StreamingApp.Tests.Networking;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")] // a dual-stack socket's view of an IPv4 client
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData(null, "local")]
    public void Key_Address_OnePerIPv4AddressOrIPv6Slash64(string? address, string expected)
    {
        Assert.Equal(expected, ClientAddress.Key(address is null ? null : IPAddress.Parse(address)));
    }
}
