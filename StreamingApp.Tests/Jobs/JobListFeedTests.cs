using System.Text;
using StreamingApp.Core.Jobs;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Jobs;

public sealed class JobListFeedTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Events_JobSubmittedAndProcessed_ServerPushesListUntilCompletedAt100()
    {
        await using var factory = new JobsAppFactory(_dir.Path) { FrameDelay = TimeSpan.FromMilliseconds(5) };
        using var client = factory.CreateClient();
        using var feed = await client.GetAsync("/ui/jobs/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync());
        var first = await ReadEventAsync(reader);

        var jobId = await JobTestClient.SubmitAsync(client, File.ReadAllBytes(TestVideo.ClipPath), "pipeline_id=fake");
        var lists = new List<string>();
        string last;
        do
        {
            var (name, data) = await ReadEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(60));
            last = name == "jobs" ? data : "";
            if (last.Length > 0)
            {
                lists.Add(last);
            }
        }
        while (!last.Contains("data-status=\"completed\"", StringComparison.Ordinal));

        Assert.Equal("text/event-stream", feed.Content.Headers.ContentType!.MediaType);
        Assert.Equal("jobs", first.Name);
        Assert.Contains("No jobs yet", first.Data, StringComparison.Ordinal);
        Assert.Contains($"data-job-id=\"{jobId}\"", last, StringComparison.Ordinal);
        Assert.Contains("aria-valuenow=\"100\"", last, StringComparison.Ordinal);
        Assert.Contains(lists, l => l.Contains("data-status=\"running\"", StringComparison.Ordinal));
    }

    private static async Task<(string Name, string Data)> ReadEventAsync(StreamReader reader)
    {
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0 && name is not null)
            {
                return (name, data.ToString());
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]).Append('\n');
            }
        }

        throw new EndOfStreamException();
    }
}
