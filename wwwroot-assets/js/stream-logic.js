// Pure logic of the stream page's browser modules (no DOM, no sockets), unit-tested with node --test.
// What the server's messages mean is decided in .NET (the page's state); here only the pacing of captures.

const SLACK_MS = 4;

/**
 * Spaces captures to at most `maxFps` a second. The cap itself is set from .NET (15, 5 after slow_down, then
 * gradually back: CapturePacing); this only enforces it on the animation-frame clock.
 */
export class FpsGate {
  constructor(maxFps = 15) {
    this.maxFps = maxFps;
    this.lastCapture = -Infinity;
  }

  /** True when a frame may be captured at time t (ms); records it as captured. */
  shouldCapture(t) {
    // Animation frames come at the display's rate (16.7 ms at 60 Hz): without the slack, a 66.7 ms interval
    // would often wait a fifth frame and 15 FPS would come out as 13.
    if (t - this.lastCapture < 1000 / this.maxFps - SLACK_MS) return false;
    this.lastCapture = t;
    return true;
  }
}

/**
 * Capture times of the frames sent on one socket, by frame_index. The server numbers every frame it received
 * from 0, so the i-th frame this socket sent (counting from 0) is frame_index i.
 */
export class FrameClock {
  constructor(limit = 256) {
    this.limit = limit;
    this.sentAt = new Map();
    this.framesSent = 0;
  }

  /** Records a frame (captured at t) being sent; returns its frame_index. */
  sent(t) {
    const index = this.framesSent++;
    this.sentAt.set(index, t);
    if (this.sentAt.size > this.limit) this.sentAt.delete(this.sentAt.keys().next().value);
    return index;
  }

  /** Capture-to-answer time of frame_index's answer at t, or null for an unknown index; forgets the frame. */
  answered(index, t) {
    const start = this.sentAt.get(index);
    if (start === undefined) return null;
    this.sentAt.delete(index);
    return t - start;
  }

  /** Frames sent and not yet answered. */
  get pending() {
    return this.sentAt.size;
  }
}

/**
 * What the browser reads from an answer's text: the frame it answers (its integer frame_index; warnings and
 * errors answer none) and, for the page's latency figures, the server's timings.total_ms. Nothing else: the text
 * itself goes to .NET, where the page's state tells the kinds of message apart.
 */
export function readAnswer(text) {
  let message = null;
  try {
    message = JSON.parse(text);
  } catch {
    // not JSON: answers no frame
  }
  const index = message?.frame_index;
  const total = message?.timings?.total_ms;
  return {
    frameIndex: Number.isInteger(index) ? index : null,
    serverTotalMs: typeof total === 'number' ? total : null,
  };
}

/** The stream socket's URL on the page's own host (ws: or wss: as the page). */
export function streamUrl(location, pipelineId) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/video/stream?pipeline_id=${encodeURIComponent(pipelineId)}`;
}

/** Maps a getUserMedia error to the kinds the page explains (permission_denied, no_camera, camera_in_use). */
export function cameraErrorKind(error) {
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'permission_denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no_camera';
    case 'NotReadableError':
    case 'AbortError':
      return 'camera_in_use';
    default:
      return 'unknown';
  }
}

/**
 * The size to capture a width×height camera frame at for a pipeline that reduces every frame to fit `fit`
 * ({ width, height }; none, or 0×0, for the full frame): the same reduction the server applies when it decodes, so
 * a frame the server would shrink is sent already shrunk (fewer bytes to encode, send and decode), aspect kept,
 * never scaled up, rounded up so it still covers the box.
 */
export function captureSize(width, height, fit) {
  const scale = fit && fit.width > 0 && fit.height > 0 ? Math.min(1, fit.width / width, fit.height / height) : 1;
  if (scale >= 1) return { width, height };
  // The epsilon keeps an exact product (416.00000000000006) from growing by a pixel.
  const side = (n) => Math.max(1, Math.ceil(n * scale - 1e-6));
  return { width: side(width), height: side(height) };
}

/** Appends to a bounded list of samples (the oldest goes). */
export function pushSample(list, value, limit = 2000) {
  list.push(value);
  if (list.length > limit) list.shift();
}
