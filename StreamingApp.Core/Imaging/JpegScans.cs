namespace StreamingApp.Core.Imaging;

/// <summary>
/// Counts the scans (SOS segments) of a JPEG by walking its segments, without decoding. A progressive decoder walks
/// the whole picture once per scan, so scans × pixels is what a frame costs to decode; checking it before decoding
/// turns a "scan bomb" (a small file of hundreds of scans) into a refusal that costs microseconds.
/// </summary>
internal static class JpegScans
{
    public static int Count(ReadOnlySpan<byte> jpeg)
    {
        var scans = 0;
        var i = 2; // after SOI
        while (i + 1 < jpeg.Length)
        {
            if (jpeg[i] != 0xFF)
            {
                // Entropy-coded data: the next marker is the next 0xFF that is not stuffing or a restart.
                var next = jpeg[i..].IndexOf((byte)0xFF);
                if (next < 0)
                {
                    break;
                }

                i += next;
                continue;
            }

            var marker = jpeg[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte before a marker
            }
            else if (marker == 0x00 || marker is >= 0xD0 and <= 0xD7)
            {
                i += 2; // stuffed 0xFF or RSTn inside entropy-coded data
            }
            else if (marker == 0xD9 || i + 3 >= jpeg.Length)
            {
                break; // EOI, or a segment cut short (the decoder reports that)
            }
            else
            {
                scans += marker == 0xDA ? 1 : 0;
                i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);
            }
        }

        return scans;
    }
}
