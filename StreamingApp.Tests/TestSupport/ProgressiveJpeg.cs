using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// Progressive JPEGs for the scan-limit tests and the JPEG fuzz campaign: real photos re-encoded progressively by
/// libjpeg-turbo, and "scan bombs" — a small file of hundreds of scans, each of which makes a decoder walk the
/// whole picture again.
/// </summary>
public static class ProgressiveJpeg
{
    /// <summary>
    /// A grey picture whose every DCT coefficient is zero, written as a *valid* progression of
    /// <paramref name="scans"/> scans: the DC scan, then for coefficient 1, 2, … a first scan at bit 13 and its 13
    /// refinement scans (Ah = Al + 1, one coefficient each), so libjpeg sees nothing to warn about and only a scan
    /// limit stops it. Each AC scan codes the whole picture as end-of-band runs in a few bytes.
    /// </summary>
    public static byte[] ScanBomb(int width, int height, int scans)
    {
        const int ScansPerCoefficient = 14;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scans, 1 + (63 * ScansPerCoefficient));
        var blocks = ((width + 7) / 8) * ((height + 7) / 8);
        using var jpeg = new MemoryStream();
        WriteHeaders(jpeg, width, height);

        // DC first scan, Al = 0: category 0 (the table's one-bit code "0") for every block.
        WriteScan(jpeg, ss: 0, se: 0, ah: 0, al: 0, bits => bits.WriteZeros(blocks));
        for (var i = 1; i < scans; i++)
        {
            var coefficient = 1 + ((i - 1) / ScansPerCoefficient);
            var step = (i - 1) % ScansPerCoefficient;
            var (ah, al) = step == 0 ? (0, 13) : (14 - step, 13 - step);
            WriteScan(jpeg, coefficient, coefficient, ah, al, bits => WriteEndOfBandRuns(bits, blocks));
        }

        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>The photo re-encoded as a progressive JPEG (libjpeg-turbo's standard scan script, about 10 scans).</summary>
    public static byte[] EncodePhoto(BgrImage image, int quality = 85)
    {
        var handle = tjInitCompress();
        var buffer = IntPtr.Zero;
        try
        {
            nuint size = 0;
            var pixels = image.Pixels.ToArray();
            if (tjCompress2(handle, pixels, image.Width, image.Stride, image.Height, PixelFormatBgr, ref buffer, ref size,
                    Subsampling420, quality, FlagProgressive) != 0)
            {
                throw new InvalidOperationException("tjCompress2 failed: " + Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)));
            }

            var jpeg = new byte[(int)size];
            Marshal.Copy(buffer, jpeg, 0, jpeg.Length);
            return jpeg;
        }
        finally
        {
            tjFree(buffer);
            _ = tjDestroy(handle);
        }
    }

    /// <summary>
    /// <paramref name="jpeg"/> with its smallest scan (header and data) repeated <paramref name="copies"/> more times, up
    /// to <paramref name="maxBytes"/> in all: an invalid progression (each copy refines bits already complete), the
    /// cheap way to make a scan bomb.
    /// </summary>
    public static byte[] WithRepeatedScan(byte[] jpeg, int copies, int maxBytes = int.MaxValue)
    {
        var scans = Scans(jpeg);
        var (start, length) = scans.MinBy(s => s.Length);
        copies = Math.Max(1, Math.Min(copies, (maxBytes - jpeg.Length) / length));
        using var bomb = new MemoryStream(jpeg.Length + (length * copies));
        bomb.Write(jpeg, 0, start + length);
        for (var i = 0; i < copies; i++)
        {
            bomb.Write(jpeg, start, length);
        }

        bomb.Write(jpeg, start + length, jpeg.Length - start - length);
        return bomb.ToArray();
    }

    /// <summary>Each scan's header and entropy-coded data: from its SOS marker to the next marker that is not RSTn.</summary>
    private static List<(int Start, int Length)> Scans(byte[] jpeg)
    {
        var scans = new List<(int, int)>();
        for (var i = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]); i >= 0;)
        {
            var end = i + 2;
            while (end + 1 < jpeg.Length && !(jpeg[end] == 0xFF && jpeg[end + 1] is not (0x00 or (>= 0xD0 and <= 0xD7))))
            {
                end++;
            }

            scans.Add((i, end - i));
            var next = jpeg.AsSpan(end).IndexOf([(byte)0xFF, (byte)0xDA]);
            i = next < 0 ? -1 : end + next;
        }

        return scans.Count > 0 ? scans : throw new ArgumentException("not a JPEG with a scan", nameof(jpeg));
    }

    private static void WriteHeaders(MemoryStream jpeg, int width, int height)
    {
        jpeg.Write([0xFF, 0xD8]);
        // DQT: table 0, all ones.
        jpeg.Write([0xFF, 0xDB, 0, 67, 0x00]);
        jpeg.Write(Enumerable.Repeat((byte)1, 64).ToArray());
        // SOF2 (progressive, Huffman): 8 bits, one component, 1x1 sampling, quantization table 0.
        Span<byte> sof = [0xFF, 0xC2, 0, 11, 8, 0, 0, 0, 0, 1, 1, 0x11, 0];
        BinaryPrimitives.WriteUInt16BigEndian(sof[5..], (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(sof[7..], (ushort)width);
        jpeg.Write(sof);
        // DC table 0: one symbol, category 0, code "0".
        WriteHuffmanTable(jpeg, 0x00, codeLength: 1, [0x00]);
        // AC table 0: the 15 end-of-band run symbols EOB0..EOB14 (0x00, 0x10 … 0xE0), 4-bit codes 0000 … 1110.
        WriteHuffmanTable(jpeg, 0x10, codeLength: 4, [.. Enumerable.Range(0, 15).Select(r => (byte)(r << 4))]);
    }

    /// <summary>A DHT segment whose symbols all have codes of one length.</summary>
    private static void WriteHuffmanTable(MemoryStream jpeg, byte classAndId, int codeLength, byte[] symbols)
    {
        var length = 2 + 1 + 16 + symbols.Length;
        jpeg.Write([0xFF, 0xC4, (byte)(length >> 8), (byte)length, classAndId]);
        var counts = new byte[16];
        counts[codeLength - 1] = (byte)symbols.Length;
        jpeg.Write(counts);
        jpeg.Write(symbols);
    }

    private static void WriteScan(MemoryStream jpeg, int ss, int se, int ah, int al, Action<BitWriter> data)
    {
        jpeg.Write([0xFF, 0xDA, 0, 8, 1, 1, 0x00, (byte)ss, (byte)se, (byte)((ah << 4) | al)]);
        var bits = new BitWriter(jpeg);
        data(bits);
        bits.Flush();
    }

    /// <summary>All blocks as end-of-band runs: EOBr covers 2^r + (r extra bits) blocks, at most 32767 per run.</summary>
    private static void WriteEndOfBandRuns(BitWriter bits, int blocks)
    {
        while (blocks > 0)
        {
            var run = Math.Min(blocks, 32767);
            var r = 31 - int.LeadingZeroCount(run);
            bits.Write(r, 4);
            bits.Write(run - (1 << r), r);
            blocks -= run;
        }
    }

    /// <summary>Entropy-coded bits, MSB first, with 0xFF byte stuffing and 1-bit padding.</summary>
    private sealed class BitWriter(Stream output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                Push((value >> i) & 1);
            }
        }

        public void WriteZeros(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Push(0);
            }
        }

        public void Flush()
        {
            while (_count != 0)
            {
                Push(1);
            }
        }

        private void Push(int bit)
        {
            _buffer = (_buffer << 1) | bit;
            if (++_count == 8)
            {
                output.WriteByte((byte)_buffer);
                if (_buffer == 0xFF)
                {
                    output.WriteByte(0);
                }

                (_buffer, _count) = (0, 0);
            }
        }
    }

    private const int PixelFormatBgr = 1; // TJPF_BGR
    private const int Subsampling420 = 2; // TJSAMP_420
    private const int FlagProgressive = 16384; // TJFLAG_PROGRESSIVE

    [DllImport("libturbojpeg.so.0")]
    private static extern IntPtr tjInitCompress();

    [DllImport("libturbojpeg.so.0")]
    private static extern int tjCompress2(
        IntPtr handle, byte[] srcBuf, int width, int pitch, int height, int pixelFormat, ref IntPtr jpegBuf, ref nuint jpegSize,
        int jpegSubsamp, int jpegQual, int flags);

    [DllImport("libturbojpeg.so.0")]
    private static extern void tjFree(IntPtr buffer);

    [DllImport("libturbojpeg.so.0")]
    private static extern int tjDestroy(IntPtr handle);

    [DllImport("libturbojpeg.so.0")]
    private static extern IntPtr tjGetErrorStr2(IntPtr handle);
}
