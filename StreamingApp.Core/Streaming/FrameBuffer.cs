using System.Buffers;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// One incoming frame in a pooled array that grows (doubling, from 64 KiB) only as bytes arrive, and never past
/// the frame limit plus one byte: one byte more is enough to know a frame is too large.
/// </summary>
internal sealed class FrameBuffer : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private readonly int _capacityLimit;
    private byte[]? _array;

    public FrameBuffer(int maxFrameBytes)
    {
        _capacityLimit = maxFrameBytes + 1;
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array is null ? default : _array.AsSpan(0, Length);

    /// <summary>Room for the next chunk; empty only when the limit plus one byte has been reached.</summary>
    public Memory<byte> GetFreeMemory()
    {
        if (_array is null)
        {
            _array = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, _capacityLimit));
        }
        else if (Length == _array.Length && Length < _capacityLimit)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_array.Length * 2, _capacityLimit));
            _array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        // The pool may hand out more than asked: expose no more than the limit.
        return _array.AsMemory(Length, Math.Min(_array.Length, _capacityLimit) - Length);
    }

    public void Advance(int count) => Length += count;

    public void Reset() => Length = 0;

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        Length = 0;
    }
}
