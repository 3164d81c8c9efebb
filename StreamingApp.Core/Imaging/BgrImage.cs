using System.Buffers;

namespace StreamingApp.Core.Imaging;

/// <summary>
/// A decoded frame: 8-bit BGR, tightly packed rows (stride = width × 3), in a buffer rented from the shared pool.
/// The owner disposes it; the pixels must not be used after that.
/// </summary>
public sealed class BgrImage : IDisposable
{
    private byte[]? _buffer;

    private BgrImage(int width, int height, byte[] buffer)
    {
        Width = width;
        Height = height;
        _buffer = buffer;
    }

    public int Width { get; }

    public int Height { get; }

    public int Stride => Width * 3;

    public int Length => Width * Height * 3;

    public Span<byte> Pixels => (_buffer ?? throw new ObjectDisposedException(nameof(BgrImage))).AsSpan(0, Length);

    /// <summary>An image whose pixel buffer comes from <see cref="ArrayPool{T}.Shared"/>; contents are undefined.</summary>
    public static BgrImage Rent(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return new BgrImage(width, height, ArrayPool<byte>.Shared.Rent(checked(width * height * 3)));
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
