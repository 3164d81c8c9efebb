using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Telemetry;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// One session's three parts: the receive loop (reads frames, validates, admits or drops — never waits for
/// inference), a processing task per admitted frame (at most <see cref="BackpressureController.MaxFramesInWork"/>:
/// core → decode → pipeline, answers in the order they finish), and a single send loop (WebSocket allows one send
/// at a time) fed by a small bounded channel. The server closes on its own when no frame came for the idle timeout
/// or the process is stopping (<see cref="ServerClose"/>); a client that stops reading is dropped after the send
/// timeout.
/// </summary>
internal sealed class StreamConnection
{
    // Enough for the answers of a few frames; when full (client not reading) the receive loop waits,
    // which pushes back on the client through TCP instead of growing memory.
    private const int OutgoingCapacity = 16;

    private readonly WebSocket _socket;
    private readonly StreamSession _session;
    private readonly FrameProcessor _processor;
    private readonly InferenceScheduler _scheduler;
    private readonly StreamMetrics _metrics;
    private readonly StreamOptions _options;
    private readonly StreamLimitOptions _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenSource _abort;
    private readonly CancellationTokenSource _receiveStop;

    // Wakes the send loop for a close of our own, ahead of any answer still queued; linked to _abort.
    private readonly CancellationTokenSource _closeRequested;

    // Armed around each send; linked to _abort.
    private readonly CancellationTokenSource _sendTimeout;
    private readonly ITimer _idleTimer;
    private readonly Channel<OutgoingMessage> _outgoing;
    private readonly int _maxFrameBytes;

    // Processing tasks not known to be finished; only the receive loop (and RunAsync after it) touches the list.
    private readonly List<Task> _inFlight = new(BackpressureController.MaxFramesInWork + 1);

    // Set once a fatal error was queued or a close of our own requested: later frames are read and discarded, unanswered.
    private volatile bool _closing;

    // Why we end the connection (an error code, idle_timeout, send_timeout, server_shutdown); null while the client may.
    private string? _closeReason;
    private ServerClose? _serverClose;

    /// <param name="stopping">Cancelled when the process starts stopping: the stream is then closed with 1001.</param>
    /// <param name="aborted">Cancelled when the connection is gone.</param>
    public StreamConnection(
        WebSocket socket, StreamSession session, FrameProcessor processor, InferenceScheduler scheduler, StreamMetrics metrics,
        StreamOptions options, StreamLimitOptions limits, TimeProvider time, ILogger logger, CancellationToken stopping, CancellationToken aborted)
    {
        _socket = socket;
        _session = session;
        _processor = processor;
        _scheduler = scheduler;
        _metrics = metrics;
        _options = options;
        _limits = limits;
        _time = time;
        _logger = logger;
        _stopping = stopping;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _receiveStop = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        _closeRequested = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        _sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        _idleTimer = time.CreateTimer(
            static state => ((StreamConnection)state!).RequestClose(ServerClose.Idle), this, limits.IdleTimeout, Timeout.InfiniteTimeSpan);
        _outgoing = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(OutgoingCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _maxFrameBytes = options.MaxFrameBytes;
    }

    /// <summary>Runs the session to its end; returns the close reason for the log.</summary>
    public async Task<string> RunAsync()
    {
        var stopping = _stopping.Register(static state => ((StreamConnection)state!).RequestClose(ServerClose.GoingAway), this);
        var sendLoop = Task.Run(SendLoopAsync);
        string reason;
        try
        {
            reason = await ReceiveLoopAsync().ConfigureAwait(false);

            // Closed cleanly: the send loop is sending the last answers and the close; bound the wait for
            // a client that stopped reading.
            _abort.CancelAfter(StreamConnectionHandler.CloseHandshakeTimeout);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            reason = _closeReason ?? "aborted";
            await _abort.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.InternalError(ex, _session.SessionId);
            _metrics.Error(StreamErrors.InternalError);
            reason = StreamErrors.InternalError;
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        // Gone: a frame still waiting for a core is cancelled; a frame inside the pipeline finishes
        // (it cannot be interrupted) and its answer is discarded.
        await WhenInFlightDone().ConfigureAwait(false);
        _outgoing.Writer.TryComplete();
        await WhenDone(sendLoop).ConfigureAwait(false);

        // No close request may run against disposed sources: both wait for a callback in progress.
        await stopping.DisposeAsync().ConfigureAwait(false);
        await _idleTimer.DisposeAsync().ConfigureAwait(false);
        _abort.Dispose();
        _receiveStop.Dispose();
        _closeRequested.Dispose();
        _sendTimeout.Dispose();
        return reason;
    }

    private async Task<string> ReceiveLoopAsync()
    {
        var frame = new FrameBuffer(_maxFrameBytes);
        try
        {
            while (true)
            {
                var token = _receiveStop.Token;
                frame.Reset();
                ValueWebSocketReceiveResult received;
                do
                {
                    var memory = _closing ? DiscardMemory(frame) : frame.GetFreeMemory();
                    received = await _socket.ReceiveAsync(memory, token).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return await OnClientClosedAsync().ConfigureAwait(false);
                    }

                    if (_closing)
                    {
                        continue;
                    }

                    if (received.MessageType == WebSocketMessageType.Text)
                    {
                        await FailAsync(new StreamError(StreamErrors.InvalidMessage, "Text messages are not accepted; send each frame as one binary JPEG message."))
                            .ConfigureAwait(false);
                        break;
                    }

                    frame.Advance(received.Count);
                    if (frame.Length > _maxFrameBytes)
                    {
                        CountFrame();
                        await FailAsync(new StreamError(StreamErrors.FrameTooLarge, $"Frames are limited to {_options.MaxFrameSizeMb} MB ({_maxFrameBytes} bytes)."))
                            .ConfigureAwait(false);
                        break;
                    }
                }
                while (!received.EndOfMessage);

                if (_closing || !received.EndOfMessage)
                {
                    continue;
                }

                // A whole frame is what keeps a connection alive, not a trickle of bytes.
                _idleTimer.Change(_limits.IdleTimeout, Timeout.InfiniteTimeSpan);
                frame = await OnFrameAsync(frame).ConfigureAwait(false);
            }
        }
        finally
        {
            frame.Dispose();
        }
    }

    private static Memory<byte> DiscardMemory(FrameBuffer frame)
    {
        frame.Reset();
        return frame.GetFreeMemory();
    }

    private long CountFrame()
    {
        _metrics.FrameReceived(_session.PipelineId);
        return _session.NextFrameIndex();
    }

    /// <summary>Answers one complete binary frame; returns the buffer for the next one.</summary>
    private async Task<FrameBuffer> OnFrameAsync(FrameBuffer frame)
    {
        var receivedAt = _time.GetTimestamp();
        var index = CountFrame();
        var check = FrameValidator.Check(frame.Span, _maxFrameBytes);
        if (check != FrameCheck.Valid)
        {
            var detail = FrameValidator.Describe(check, _maxFrameBytes);
            _logger.FrameRefused(_session.SessionId, index, StreamErrors.InvalidFrame, detail);
            await FailAsync(new StreamError(StreamErrors.InvalidFrame, detail)).ConfigureAwait(false);
            return frame;
        }

        var admission = _session.Backpressure.OnFrameArrived(_scheduler);
        if (admission.StateChanged)
        {
            _logger.BackpressureChanged(
                _session.SessionId, admission.PreviousState.ToWireName(), admission.State.ToWireName(), _session.Backpressure.RecentDropRate());
        }

        if (!admission.Accepted)
        {
            _session.RecordDropped();
            _metrics.FrameDropped(_session.PipelineId);
            await EnqueueAsync(new OutgoingMessage(OutgoingKind.Dropped, index)).ConfigureAwait(false);
        }

        if (admission.EnteredSlowDown)
        {
            _metrics.SlowDown(_session.PipelineId);
            await EnqueueAsync(new OutgoingMessage(OutgoingKind.SlowDown)).ConfigureAwait(false);
        }

        if (admission.Slot is not { } slot)
        {
            return frame;
        }

        // The processing task owns this buffer and the slot now; Task.Run keeps even a frame whose core is free at
        // once (decode + inference) off the receive loop.
        _inFlight.RemoveAll(static task => task.IsCompleted);
        _inFlight.Add(Task.Run(() => ProcessAsync(frame, index, receivedAt, slot)));
        return new FrameBuffer(_maxFrameBytes);
    }

    private async Task ProcessAsync(FrameBuffer frame, long index, long receivedAt, InferenceSlot slot)
    {
        OutgoingMessage? answer = null;
        try
        {
            await slot.ReadyAsync(_abort.Token).ConfigureAwait(false);
            answer = _processor.Process(frame, index, receivedAt, slot);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // The connection is gone: nobody to answer.
        }
        catch (Exception ex)
        {
            _logger.InternalError(ex, _session.SessionId);
            answer = new OutgoingMessage(OutgoingKind.Error, Error: new StreamError(StreamErrors.InternalError, "An internal error occurred."));
        }
        finally
        {
            frame.Dispose();

            // Core and session free before the answer leaves: a client that sends its next frame on receiving this
            // answer must find them free, not have that frame dropped.
            slot.Dispose();
            if (answer?.Kind == OutgoingKind.Error)
            {
                _closing = true; // before the frame is released: no further frame starts once an error is on its way
            }

            _session.Backpressure.OnFrameCompleted();
        }

        if (answer is { Kind: OutgoingKind.Error, Error: { } error })
        {
            await QueueErrorAsync(error).ConfigureAwait(false);
        }
        else if (answer is { } result)
        {
            await EnqueueAsync(result).ConfigureAwait(false);
        }
    }

    /// <summary>An error found by the receive loop: the frames in work are answered first, then the error.</summary>
    private async Task FailAsync(StreamError error)
    {
        _closing = true;
        await WhenInFlightDone().ConfigureAwait(false);
        await QueueErrorAsync(error).ConfigureAwait(false);
    }

    private async Task QueueErrorAsync(StreamError error)
    {
        EndWith(error.Code);
        _metrics.Error(error.Code);
        await EnqueueAsync(new OutgoingMessage(OutgoingKind.Error, Error: error)).ConfigureAwait(false);
    }

    private async Task<string> OnClientClosedAsync()
    {
        if (_closeReason is not null)
        {
            return _closeReason; // the client answered our close
        }

        // The client is done sending; its last frames still get their answers before our close.
        await WhenInFlightDone().ConfigureAwait(false);
        await EnqueueAsync(new OutgoingMessage(OutgoingKind.Close)).ConfigureAwait(false);
        return _closeReason ?? "client_closed";
    }

    private async ValueTask EnqueueAsync(OutgoingMessage message)
    {
        try
        {
            await _outgoing.Writer.WriteAsync(message, _abort.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            // The send loop has ended (socket closed or gone): the answer has no one to go to.
        }
    }

    /// <summary>The first reason to end the connection wins; later ones (an answer to our own close) do not replace it.</summary>
    private void EndWith(string reason) => Interlocked.CompareExchange(ref _closeReason, reason, null);

    /// <summary>Closes the connection from our side (idle, stopping): the close frame goes ahead of queued answers.</summary>
    private void RequestClose(ServerClose close)
    {
        if (Interlocked.CompareExchange(ref _serverClose, close, null) is not null)
        {
            return;
        }

        _closing = true;
        EndWith(close.Reason);
        _metrics.ServerClosed(close.Reason);
        _closeRequested.Cancel();
    }

    private async Task SendLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        try
        {
            while (await WaitToSendAsync().ConfigureAwait(false))
            {
                while (_serverClose is null && _outgoing.Reader.TryRead(out var message))
                {
                    if (!await SendAsync(message, buffer, json).ConfigureAwait(false))
                    {
                        return; // our close frame is out
                    }
                }
            }

            if (_serverClose is { } close)
            {
                await _socket.CloseOutputAsync(close.Status, close.Reason, ArmSendTimeout()).ConfigureAwait(false);
                _receiveStop.CancelAfter(close.HandshakeTimeout);
            }
        }
        catch (OperationCanceledException) when (_sendTimeout.IsCancellationRequested && !_abort.IsCancellationRequested)
        {
            // The client stopped reading: the socket is aborted with the send; end the session.
            EndWith("send_timeout");
            _metrics.ServerClosed("send_timeout");
            await _abort.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Connection gone; RunAsync ends the session.
        }
        finally
        {
            _outgoing.Writer.TryComplete();
        }
    }

    /// <summary>True when a message is queued; false once the queue is done or a close of our own is pending.</summary>
    private async ValueTask<bool> WaitToSendAsync()
    {
        try
        {
            return _serverClose is null && await _outgoing.Reader.WaitToReadAsync(_closeRequested.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_serverClose is not null && !_abort.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Sends one message; false when it was the last (a close frame went out).</summary>
    private async ValueTask<bool> SendAsync(OutgoingMessage message, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        if (message.Kind == OutgoingKind.Close)
        {
            await _socket.CloseOutputAsync(message.CloseStatus, null, ArmSendTimeout()).ConfigureAwait(false);
            return false;
        }

        buffer.ResetWrittenCount();
        json.Reset(buffer);
        StreamProtocol.Write(json, message);
        json.Flush();
        await _socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, ArmSendTimeout()).ConfigureAwait(false);
        _sendTimeout.TryReset();
        if (message.Kind != OutgoingKind.Error)
        {
            return true;
        }

        await _socket.CloseOutputAsync(message.Error!.CloseStatus, message.Error.Code, ArmSendTimeout()).ConfigureAwait(false);

        // A client that never answers our close must not hold the session open.
        _receiveStop.CancelAfter(StreamConnectionHandler.CloseHandshakeTimeout);
        return false;
    }

    /// <summary>
    /// The token for one send, cancelled after the send timeout: a client that stopped reading cannot hold the session.
    /// Disarmed with <c>_sendTimeout.TryReset()</c> once the send is done.
    /// </summary>
    private CancellationToken ArmSendTimeout()
    {
        _sendTimeout.CancelAfter(_limits.SendTimeout);
        return _sendTimeout.Token;
    }

    private Task WhenInFlightDone() => WhenDone(Task.WhenAll(_inFlight));

    private static async Task WhenDone(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each task handles and logs its own failures; here only completion matters.
        }
    }
}
