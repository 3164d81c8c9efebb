using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace StreamingApp.Endpoints;

/// <summary>
/// Streams a multipart upload straight to a temporary file, counting bytes as they arrive, so a large upload never
/// sits in memory and an oversized one is refused as soon as it crosses the limit. Everything else in the body is
/// capped too: the number of parts, each part's headers, each form field, the boundary.
/// </summary>
internal static class JobUploadReceiver
{
    /// <summary>Room for multipart boundaries, part headers and the small form fields around the file.</summary>
    private const long MultipartOverhead = 64 * 1024;

    /// <summary>The file and the two optional fields, with room for a few fields a client adds that are ignored.</summary>
    public const int MaxParts = 8;

    /// <summary>Per part: Content-Disposition and Content-Type, and a file name of a few hundred characters.</summary>
    public const int MaxPartHeaders = 8;

    public const int MaxPartHeaderBytes = 4096;

    /// <summary>A form field holds a number; anything longer is refused, not truncated.</summary>
    public const int MaxFieldChars = 64;

    /// <summary>RFC 2046's limit for a multipart boundary.</summary>
    private const int MaxBoundaryLength = 70;

    public sealed record Upload(string? FileName, long Length, bool HasFtyp, IReadOnlyDictionary<string, string> Fields);

    public enum Outcome
    {
        Received,
        NotMultipart,
        MissingFile,
        TooLarge,
        TooManyParts,
        SecondFile,
        FieldTooLong,
        Malformed,
    }

    public static async Task<(Outcome Outcome, Upload? Upload)> ReceiveAsync(HttpRequest request, string tempPath, long maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= MaxBoundaryLength } boundary)
        {
            return (Outcome.NotMultipart, null);
        }

        if (request.ContentLength > maxBytes + MultipartOverhead)
        {
            return (Outcome.TooLarge, null);
        }

        // Our own limit replaces the server's default (30 MB); the server still stops a body past it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBytes + MultipartOverhead;
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = MaxPartHeaders, HeadersLengthLimit = MaxPartHeaderBytes };
        try
        {
            return await ReadPartsAsync(reader, tempPath, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (Outcome.TooLarge, null);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Headers over the limits, no closing boundary, a body cut short: the reader's own words say no more.
            return (Outcome.Malformed, null);
        }
    }

    private static async Task<(Outcome Outcome, Upload? Upload)> ReadPartsAsync(MultipartReader reader, string tempPath, long maxBytes, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        Upload? upload = null;
        var parts = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (++parts > MaxParts)
            {
                return (Outcome.TooManyParts, null);
            }

            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (name == "file")
            {
                if (upload is not null)
                {
                    return (Outcome.SecondFile, null);
                }

                var (length, hasFtyp) = await CopyAsync(section.Body, tempPath, maxBytes, cancellationToken).ConfigureAwait(false);
                if (length < 0)
                {
                    return (Outcome.TooLarge, null);
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                upload = new Upload(fileName, length, hasFtyp, fields);
            }
            else if (name is not null && disposition.IsFormDisposition())
            {
                if (await ReadFieldAsync(section.Body, cancellationToken).ConfigureAwait(false) is not { } value)
                {
                    return (Outcome.FieldTooLong, null);
                }

                fields[name] = value;
            }
        }

        return upload is null ? (Outcome.MissingFile, null) : (Outcome.Received, upload);
    }

    /// <summary>Copies the part to <paramref name="path"/>; returns -1 as soon as it exceeds <paramref name="maxBytes"/>.</summary>
    private static async Task<(long Length, bool HasFtyp)> CopyAsync(Stream body, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        var head = new byte[8];
        long total = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (total < head.Length)
                {
                    buffer.AsSpan(0, (int)Math.Min(read, head.Length - total)).CopyTo(head.AsSpan((int)total));
                }

                total += read;
                if (total > maxBytes)
                {
                    return (-1, false);
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        // An MP4 (ISO BMFF) starts with a box whose type, at offset 4, is "ftyp".
        return (total, total >= 8 && head.AsSpan(4, 4).SequenceEqual("ftyp"u8));
    }

    /// <summary>The field's value, or null when it is longer than <see cref="MaxFieldChars"/>.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, leaveOpen: true);
        var chars = new char[MaxFieldChars + 1];
        var length = await reader.ReadBlockAsync(chars.AsMemory(), cancellationToken).ConfigureAwait(false);
        return length > MaxFieldChars ? null : new string(chars, 0, length);
    }

    /// <summary>The client's file name as harmless metadata: no directories, no control characters, bounded length.</summary>
    public static string SanitizeFileName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/'));
        var clean = new System.Text.StringBuilder(Math.Min(name.Length, 200));
        foreach (var c in name)
        {
            if (clean.Length == 200)
            {
                break;
            }

            if (!char.IsControl(c) && c != '/' && c != '"')
            {
                clean.Append(c);
            }
        }

        var result = clean.ToString().Trim();
        return result.Length == 0 || result is "." or ".." ? "upload.mp4" : result;
    }

    public static bool TryParseInt(string? value, out int? result)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            result = parsed;
            return true;
        }

        return false;
    }
}
