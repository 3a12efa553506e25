using System.Net;
using PaperMailer.Tests.Support;
using PaperMailer.Web;

namespace PaperMailer.Tests.Web;

public class ClientLimitTests
{
    [Fact]
    public void An_ipv6_network_is_one_client_and_an_ipv4_address_is_the_same_client_however_written()
    {
        var home = ClientLimit.ClientOf(IPAddress.Parse("2001:db8:1:2::1"));

        Assert.Equal(home, ClientLimit.ClientOf(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        Assert.NotEqual(home, ClientLimit.ClientOf(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("192.0.2.7", ClientLimit.ClientOf(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.NotEqual(ClientLimit.ClientOf(IPAddress.Parse("192.0.2.7")), ClientLimit.ClientOf(IPAddress.Parse("192.0.2.8")));
    }

    [Fact]
    public void Slots_come_back_as_the_window_slides_or_when_given_back()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var limit = new ClientLimit(2, TimeSpan.FromHours(1), clock);

        Assert.True(limit.TryTake("a"));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(limit.TryTake("a"));
        Assert.False(limit.TryTake("a"));
        Assert.True(limit.TryTake("b"));

        limit.GiveBack("a");
        Assert.True(limit.TryTake("a"));
        Assert.False(limit.TryTake("a"));

        // The first slot, taken at 9:00, is free again at 10:00; the one from 9:30 not yet.
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(limit.TryTake("a"));
        Assert.False(limit.TryTake("a"));
    }
}
