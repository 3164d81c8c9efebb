using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StreamingApp.Tests.Jobs;

/// <summary>Submits uploads and waits for jobs the way a client of the API does.</summary>
internal static class JobTestClient
{
    public static MultipartFormDataContent Form(byte[] file, string fileName = "clip.mp4", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(content, "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    public static async Task<string> SubmitAsync(HttpClient client, byte[] file, string query, params (string Name, string Value)[] fields)
    {
        using var form = Form(file, "clip.mp4", fields);
        using var response = await client.PostAsync("/v1/video/submit?" + query, form);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("job_id").GetString()!;
    }

    /// <summary>Asserts the API error's status and code; returns its detail.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, System.Net.HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(code, json.RootElement.GetProperty("error").GetString());
        return json.RootElement.GetProperty("detail").GetString()!;
    }

    /// <summary>A job error is one plain sentence for the uploader: no path, no exception type, no stack.</summary>
    public static void AssertPlainSentence(string? error)
    {
        Assert.NotNull(error);
        Assert.DoesNotContain('/', error);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    /// <summary>A refused upload leaves nothing in the data folder: no temporary file, no upload.</summary>
    public static void AssertNothingStored(string dataDirectory)
    {
        Assert.Empty(Directory.GetFiles(Path.Combine(dataDirectory, "tmp")));
        Assert.Empty(Directory.GetFiles(Path.Combine(dataDirectory, "uploads")));
    }

    /// <summary>Waits (event-driven, with a hang guard) until the job reaches <paramref name="status"/> or a final state.</summary>
    public static Task<JobRecord> WaitForAsync<T>(WebApplicationFactory<T> factory, string jobId, JobStatus status)
        where T : class => WaitForAsync(factory, jobId, job => job.Status == status);

    /// <summary>Waits until <paramref name="condition"/> holds for the job, or it reaches a final state.</summary>
    public static async Task<JobRecord> WaitForAsync<T>(WebApplicationFactory<T> factory, string jobId, Func<JobRecord, bool> condition, TimeSpan? guard = null)
        where T : class
    {
        var feed = factory.Services.GetRequiredService<IJobChangeFeed>();
        var store = factory.Services.GetRequiredService<IJobStore>();
        var done = new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(JobRecord job)
        {
            if (job.Id == jobId && (condition(job) || job.IsFinished))
            {
                done.TrySetResult(job);
            }
        }

        using var subscription = feed.Subscribe(change =>
        {
            if (change.Job is { } job)
            {
                OnChanged(job);
            }
        });
        if (await store.GetAsync(jobId, null, default) is { } now)
        {
            OnChanged(now);
        }

        // A hang guard only, sized for a full test run on a busy machine.
        return await done.Task.WaitAsync(guard ?? TimeSpan.FromMinutes(3));
    }
}
