using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http.Features;
using StreamingApp.Components.Jobs;
using StreamingApp.Core.Jobs;
using StreamingApp.Endpoints;

namespace StreamingApp.Realtime;

/// <summary>
/// <c>GET /ui/jobs/events</c>: a server-sent event stream for the jobs pages. On connect and after every job change
/// the viewer may see (heard on <see cref="IJobChangeFeed"/>) it sends <c>job</c> (the changed job's status JSON)
/// and <c>jobs</c> (the <see cref="JobList"/> component re-rendered to HTML, which the page swaps in). The server
/// pushes; the page never polls.
/// </summary>
internal static class JobListFeed
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext http, IJobStore store, IJobChangeFeed feed, IJobOwnerResolver owners, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var owner = owners.OwnerOf(http.User);
        var cancellationToken = http.RequestAborted;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Bounded: a stalled page loses old change notices, never server memory; the list it gets next is current anyway.
        var changes = Channel.CreateBounded<JobChange>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnChanged(JobChange change)
        {
            if (change.IsVisibleTo(owner))
            {
                changes.Writer.TryWrite(change);
            }
        }

        using var subscription = feed.Subscribe(OnChanged);
        try
        {
            await using var renderer = new HtmlRenderer(http.RequestServices, loggerFactory);
            await SendListAsync(http.Response, renderer, store, owner, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await changes.Reader.WaitToReadAsync(cancellationToken).AsTask().WaitAsync(KeepAlive, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    await WriteAsync(http.Response, ": keep-alive\n\n", cancellationToken);
                    continue;
                }

                // A burst of changes (several progress steps) becomes one list render.
                while (changes.Reader.TryRead(out var change))
                {
                    if (change.Job is { } job)
                    {
                        await SendEventAsync(http.Response, "job", JsonSerializer.Serialize(JobListItem.From(job), JobApiJson.Default.JobListItem), cancellationToken);
                    }
                }

                await SendListAsync(http.Response, renderer, store, owner, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task SendListAsync(HttpResponse response, HtmlRenderer renderer, IJobStore store, string? owner, CancellationToken cancellationToken)
    {
        var (jobs, count) = await store.ListAsync(owner, JobList.PageSize, 0, cancellationToken);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<JobList>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(JobList.Jobs)] = jobs,
                [nameof(JobList.Count)] = count,
            }));
            return output.ToHtmlString();
        });
        await SendEventAsync(response, "jobs", html, cancellationToken);
    }

    private static Task SendEventAsync(HttpResponse response, string name, string data, CancellationToken cancellationToken)
    {
        var message = new StringBuilder(data.Length + 64).Append("event: ").Append(name).Append('\n');
        foreach (var line in data.Split('\n'))
        {
            message.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        return WriteAsync(response, message.Append('\n').ToString(), cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
