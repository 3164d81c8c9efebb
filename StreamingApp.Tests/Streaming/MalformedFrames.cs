using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace StreamingApp.Tests.Streaming;

/// <summary>Malformed frames for the fuzz test, reproducible from a seed.</summary>
internal static class MalformedFrames
{
    /// <summary>The default scan limit (Imaging:MaxScanPixels), which half of the scan bombs exceed.</summary>
    private static readonly long MaxScanPixels = new ImagingOptions().MaxScanPixels;

    private static readonly ConcurrentDictionary<byte[], byte[]> Progressive = new();

    /// <summary>Made frames stay under the test host's frame limit, so they reach the decoder.</summary>
    private const int MaxBytes = (StreamTestHost.MaxFrameSizeMb * 1024 * 1024) - 1024;

    public enum Kind
    {
        RandomBytes,
        Truncated,
        TruncatedWithEndMarker,
        BitFlipped,
        HugeDimensions,
        ProgressiveBitFlipped,
        ScanBomb,
        RepeatedScans,
    }

    public static byte[] Make(Kind kind, byte[] jpeg, Random random) => kind switch
    {
        Kind.RandomBytes => RandomBytes(random),
        Kind.Truncated => jpeg[..random.Next(2, jpeg.Length - 2)],
        Kind.TruncatedWithEndMarker => [.. jpeg[..random.Next(2, jpeg.Length / 2)], 0xFF, 0xD9],
        Kind.BitFlipped => BitFlipped(jpeg, random),
        Kind.HugeDimensions => HugeDimensions(jpeg, random),
        Kind.ProgressiveBitFlipped => ScanDataBitFlipped(ProgressiveOf(jpeg), random),
        Kind.ScanBomb => ScanBomb(random),
        Kind.RepeatedScans => ProgressiveJpeg.WithRepeatedScan(ProgressiveOf(jpeg), random.Next(1, 3000), MaxBytes),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The photo re-encoded progressively (10 scans), once per photo.</summary>
    private static byte[] ProgressiveOf(byte[] jpeg) => Progressive.GetOrAdd(jpeg, static baseline =>
    {
        using var decoder = new TurboJpegDecoder(Microsoft.Extensions.Options.Options.Create(new ImagingOptions()));
        using var image = decoder.Decode(baseline);
        return ProgressiveJpeg.EncodePhoto(image);
    });

    /// <summary>
    /// A valid progression of many scans: half over the scans × pixels limit (refused before decoding), half of tiny
    /// pictures with more than 500 scans (TurboJPEG's own limit stops them at scan 501).
    /// </summary>
    private static byte[] ScanBomb(Random random)
    {
        if (random.Next(2) == 0)
        {
            var (width, height) = (random.Next(256, 4097), random.Next(256, 4097));
            var scans = (int)Math.Min(883, (MaxScanPixels / ((long)width * height)) + 1 + random.Next(20));
            return ProgressiveJpeg.ScanBomb(width, height, Math.Max(scans, 2));
        }

        return ProgressiveJpeg.ScanBomb(random.Next(8, 129), random.Next(8, 129), random.Next(501, 884));
    }

    /// <summary>Flips bits in the entropy-coded data after the first scan header.</summary>
    private static byte[] ScanDataBitFlipped(byte[] jpeg, Random random)
    {
        var copy = (byte[])jpeg.Clone();
        var scan = StartOfScan(copy) + 16;
        for (var i = 0; i < 1 + random.Next(16); i++)
        {
            copy[random.Next(scan, copy.Length - 2)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 16 * 1024)];
        random.NextBytes(bytes);

        // Half of them look like a JPEG from outside, so they reach the decoder.
        if (random.Next(2) == 0 && bytes.Length >= 4)
        {
            bytes[0] = 0xFF;
            bytes[1] = 0xD8;
            bytes[^2] = 0xFF;
            bytes[^1] = 0xD9;
        }

        return bytes;
    }

    /// <summary>Flips bits in the headers (quantization and Huffman tables, frame header), keeping the markers.</summary>
    private static byte[] BitFlipped(byte[] jpeg, Random random)
    {
        var copy = (byte[])jpeg.Clone();
        var headerEnd = StartOfScan(copy);
        for (var i = 0; i < 1 + random.Next(16); i++)
        {
            var at = random.Next(2, headerEnd);
            copy[at] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    /// <summary>The frame header (SOFn) rewritten to declare up to 65535×65535 pixels.</summary>
    private static byte[] HugeDimensions(byte[] jpeg, Random random)
    {
        var copy = (byte[])jpeg.Clone();
        for (var i = 2; i + 8 < copy.Length; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)random.Next(30_000, 65_536));
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)random.Next(30_000, 65_536));
                return copy;
            }
        }

        throw new InvalidOperationException("no frame header found");
    }

    private static int StartOfScan(byte[] jpeg)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA)
            {
                return i;
            }
        }

        return jpeg.Length - 2;
    }
}
