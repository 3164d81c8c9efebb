using System.Globalization;
using System.Text.Json;

namespace StreamingApp.Components.Jobs;

/// <summary>The upload form's side of <c>POST /v1/video/submit</c>: the URL to send to, and what the answer means.</summary>
public static class UploadAnswer
{
    /// <summary>The submit URL (relative to the page's base), with the stride only when it skips frames.</summary>
    public static string SubmitUrl(string pipelineId, int frameStride)
    {
        var url = "v1/video/submit?pipeline_id=" + Uri.EscapeDataString(pipelineId);
        return frameStride > 1 ? url + "&frame_stride=" + frameStride.ToString(CultureInfo.InvariantCulture) : url;
    }

    /// <summary>The new job's id from a 202 answer, else null.</summary>
    public static string? JobId(int status, string body) =>
        status == 202 ? Property(body, "job_id") : null;

    /// <summary>What to tell the person when the server refused the upload: its own sentence when it sent one.</summary>
    public static string Error(int status, string body) => Property(body, "detail") ?? status switch
    {
        413 => "The video is larger than the server accepts.",
        0 => "The upload could not reach the server.",
        _ => $"The upload failed (HTTP {status}).",
    };

    private static string? Property(string body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty(name, out var value)
                && value.ValueKind == JsonValueKind.String
                && value.GetString() is { Length: > 0 } text
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
