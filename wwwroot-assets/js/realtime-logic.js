// Pure logic of the browser side (no DOM, no sockets), unit-tested with node --test.

const SLACK_MS = 4;

/** Capture-rate limiter: 15 FPS, 5 after slow_down, then +1 FPS per 2 s without drops. */
export class FpsThrottler {
  constructor({ maxFps = 15, minFps = 5, stepMs = 2000 } = {}) {
    this.maxFps = maxFps;
    this.minFps = minFps;
    this.stepMs = stepMs;
    this.fps = maxFps;
    this.lastCapture = -Infinity;
    this.calmSince = 0; // start of the current drop-free stretch
  }

  /** True when a frame may be captured at time t (ms); records it as captured. */
  shouldCapture(t) {
    this.#recover(t);
    // Animation frames come at the display's rate (16.7 ms at 60 Hz): without the slack, a 66.7 ms interval
    // would often wait a fifth frame and 15 FPS would come out as 13.
    if (t - this.lastCapture < 1000 / this.fps - SLACK_MS) return false;
    this.lastCapture = t;
    return true;
  }

  onSlowDown(t) {
    this.fps = this.minFps;
    this.calmSince = t;
  }

  onDropped(t) {
    this.calmSince = t;
  }

  #recover(t) {
    while (this.fps < this.maxFps && t - this.calmSince >= this.stepMs) {
      this.fps += 1;
      this.calmSince += this.stepMs;
    }
  }
}

/** Tells a server message (DESIGN §4) apart by its keys. */
export function classifyMessage(msg) {
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return 'unknown';
  if (typeof msg.error === 'string') return 'error';
  if (typeof msg.warning === 'string') return 'warning';
  if (Number.isInteger(msg.frame_index) && msg.dropped === true) return 'dropped';
  if (Number.isInteger(msg.frame_index) && msg.result && typeof msg.result === 'object') return 'result';
  return 'unknown';
}

/** Parses a text message; null when it is not JSON. */
export function parseMessage(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Capture times by frame_index, recorded as each frame is sent. The server numbers every frame it received from
 * 0, so the i-th frame this socket sent (counting from 0) is frame_index i: the index is taken before the counter
 * moves on.
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

  /** Latency of frame_index's answer at t, or null for an unknown index; forgets the frame. */
  answered(index, t) {
    const start = this.sentAt.get(index);
    if (start === undefined) return null;
    this.sentAt.delete(index);
    return t - start;
  }

  get pending() {
    return this.sentAt.size;
  }
}

/** The stream socket's URL on the page's own host (ws: or wss: as the page). */
export function streamUrl(location, pipelineId) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/video/stream?pipeline_id=${encodeURIComponent(pipelineId)}`;
}

/** The page's UI connection URL (same host). */
export function uiUrl(location) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ui/realtime`;
}

/** Maps a getUserMedia error to the message kinds the page shows. */
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

/** Middle value of a list of numbers (null when empty). */
export function median(values) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
