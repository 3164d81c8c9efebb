using System.Buffers.Binary;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// Mutated MP4s for the fuzz tests, reproducible from a seed: bit flips (anywhere, or in the metadata), truncations,
/// and lies in the box structure — sizes, table entry counts, picture dimensions — made from a real clip.
/// </summary>
public static class MalformedVideos
{
    public enum Kind
    {
        BitFlipped,
        MetadataBitFlipped,
        Truncated,
        BoxSizeLie,
        EntryCountLie,
        DimensionLie,
    }

    /// <summary>Boxes that hold other boxes (ISO/IEC 14496-12), walked to find the ones to lie about.</summary>
    private static readonly HashSet<string> Containers = ["moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "udta", "mvex"];

    /// <summary>Sample tables whose entry count (a uint32 after version/flags) decides how much the demuxer reads.</summary>
    private static readonly Dictionary<string, int> EntryCountOffset = new()
    {
        ["stts"] = 12, ["stss"] = 12, ["ctts"] = 12, ["stsc"] = 12, ["stco"] = 12, ["co64"] = 12, ["stsd"] = 12, ["elst"] = 12,
        ["stsz"] = 16, // after sample_size
    };

    public static byte[] Make(Kind kind, byte[] mp4, Random random) => kind switch
    {
        Kind.BitFlipped => FlipBits(mp4, 0, mp4.Length, random),
        Kind.MetadataBitFlipped => FlipBits(mp4, Find(mp4, "moov").Offset, Find(mp4, "moov").Size, random),
        Kind.Truncated => mp4[..random.Next(8, mp4.Length - 1)],
        Kind.BoxSizeLie => BoxSizeLie(mp4, random),
        Kind.EntryCountLie => EntryCountLie(mp4, random),
        Kind.DimensionLie => DimensionLie(mp4, random),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Every box of the file, containers walked into: (type, offset of its header, size).</summary>
    public static List<(string Type, int Offset, int Size)> Boxes(byte[] mp4)
    {
        var boxes = new List<(string, int, int)>();
        Walk(mp4, 0, mp4.Length, boxes);
        return boxes;
    }

    private static void Walk(byte[] mp4, int start, int end, List<(string, int, int)> boxes)
    {
        for (var at = start; at + 8 <= end;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(mp4, at + 4, 4);
            if (size < 8 || at + size > end)
            {
                return;
            }

            boxes.Add((type, at, size));
            if (Containers.Contains(type))
            {
                Walk(mp4, at + 8, at + size, boxes);
            }

            at += size;
        }
    }

    private static (int Offset, int Size) Find(byte[] mp4, string type)
    {
        var box = Boxes(mp4).First(b => b.Type == type);
        return (box.Offset, box.Size);
    }

    private static byte[] FlipBits(byte[] mp4, int start, int length, Random random)
    {
        var copy = (byte[])mp4.Clone();
        for (var i = 0; i < 1 + random.Next(16); i++)
        {
            copy[start + random.Next(length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    /// <summary>A box claims another size: 0 ("to the end"), too small for its header, a little off, or far past the file.</summary>
    private static byte[] BoxSizeLie(byte[] mp4, Random random)
    {
        var copy = (byte[])mp4.Clone();
        var boxes = Boxes(mp4);
        var (_, offset, size) = boxes[random.Next(boxes.Count)];
        uint[] lies = [0, 1, 7, 8, (uint)size - 1, (uint)size + 1, (uint)size * 2, 0x7FFFFFFF, 0xFFFFFFFF, (uint)random.Next()];
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), lies[random.Next(lies.Length)]);
        return copy;
    }

    /// <summary>A sample table claims far more (or fewer) entries than it holds.</summary>
    private static byte[] EntryCountLie(byte[] mp4, Random random)
    {
        var copy = (byte[])mp4.Clone();
        var tables = Boxes(mp4).Where(b => EntryCountOffset.ContainsKey(b.Type)).ToList();
        var (type, offset, _) = tables[random.Next(tables.Count)];
        uint[] lies = [0, 1, 2, 0xFFFF, 0x00FFFFFF, 0x7FFFFFFF, 0xFFFFFFFF, (uint)random.Next()];
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset + EntryCountOffset[type]), lies[random.Next(lies.Length)]);
        return copy;
    }

    /// <summary>The track header or the sample entry declares another picture size (up to 65535 x 65535).</summary>
    private static byte[] DimensionLie(byte[] mp4, Random random)
    {
        var copy = (byte[])mp4.Clone();
        var (width, height) = (random.Next(2) == 0 ? random.Next(0, 16) : random.Next(4000, 65536), random.Next(0, 65536));
        if (random.Next(2) == 0)
        {
            // tkhd ends with width and height as 16.16 fixed point.
            var (offset, size) = Find(mp4, "tkhd");
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset + size - 8), (uint)width << 16);
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset + size - 4), (uint)height << 16);
        }
        else
        {
            // stsd: header (8), version/flags (4), entry count (4), then the visual sample entry: width at +32, height at +34.
            var (offset, _) = Find(mp4, "stsd");
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset + 16 + 32), (ushort)width);
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset + 16 + 34), (ushort)height);
        }

        return copy;
    }
}
