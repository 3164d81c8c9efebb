namespace StreamingApp.Core.Streaming;

/// <summary>
/// Wire timings of one processed frame, in milliseconds: <see cref="DecodeMs"/> the JPEG decode,
/// <see cref="InferenceMs"/> the whole pipeline (pre-processing, model, post-processing), <see cref="TotalMs"/>
/// from the frame's last byte received to its result being queued for sending (includes waiting for a slot).
/// </summary>
public readonly record struct FrameTimings(double DecodeMs, double InferenceMs, double TotalMs);
