using System.Reflection;
using Microsoft.Extensions.Logging;

namespace StreamingApp.Tests.Logging;

public sealed class LoggerMessageEventIdTests
{
    [Fact]
    public void LoggerMessages_InEveryAppAssembly_HaveUniqueEventIds()
    {
        // An event id names one event in dashboards and alerts: two events under one id make both unreadable.
        var assemblies = new[] { typeof(Program).Assembly, typeof(StreamingApp.Core.Streaming.StreamLog).Assembly };

        var events = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();
        var collisions = events
            .GroupBy(e => e.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}")
            .ToList();

        Assert.True(events.Count >= 10, $"only {events.Count} [LoggerMessage] methods found: is the scan looking in the right place?");
        Assert.True(collisions.Count == 0, "event ids used more than once:\n" + string.Join('\n', collisions));
    }
}
