// The stream page's capture loop and its socket to /ws/video/stream. Frames go from the <video> straight to the
// server, never through the circuit; each answer's text goes to .NET (CameraPreview → the page's state), with the
// capture-to-answer time measured here. .NET opens and closes the stream and sets the capture pace (setPace).
import { FpsGate, FrameClock, readAnswer, streamUrl, pushSample, captureSize } from './stream-logic.js';
import { watchCircuit } from './circuit.js';

const JPEG_QUALITY = 0.8;

export function createFrameStream(video, stage, dotnet) {
  const stream = new FrameStream(video, stage, dotnet);
  // Read by the browser tests and handy in devtools; bounded, so it cannot grow.
  window.streamingApp = { state: () => stream.state(), stats: stream.stats };
  return stream;
}

class FrameStream {
  // Bounded samples (capture to answer, capture to overlay, server total_ms, and per frame what its overlay took
  // beyond the server's time) and how often a due frame found the socket's send buffer not yet empty.
  stats = { latencies: [], overlayLatencies: [], serverTotals: [], overlayOverServer: [], sendBufferWaits: 0 };

  #video;
  #dotnet;
  #canvas = document.createElement('canvas');
  #socket = null;
  #gate = new FpsGate();
  #clock = new FrameClock();
  #maxInFlight = 1;
  #fit = null;
  #encoding = false;
  #loop = 0;
  #lostCircuit = false;
  #awaitingOverlay = new Map(); // frame_index → { capturedAt, serverTotalMs }, from its answer until the overlay shows it
  #overlayWatch;
  #stopWatchingCircuit;

  constructor(video, stage, dotnet) {
    this.#video = video;
    this.#dotnet = dotnet;
    // Capture-to-overlay: the overlay names the frame it shows in data-frame-index; this sees each change.
    this.#overlayWatch = new MutationObserver(() => this.#overlayShown(stage));
    this.#overlayWatch.observe(stage, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-frame-index'] });
    this.#stopWatchingCircuit = watchCircuit({
      onLost: () => this.#onCircuitLost(),
      onRestored: () => this.#onCircuitRestored(),
    });
  }

  /**
   * Opens a socket for the pipeline (closing any previous one) and starts capturing at the pace, each frame reduced
   * to the pipeline's fit ({ width, height }, 0×0 for the full frame).
   */
  open(pipelineId, pace, fit) {
    this.close();
    this.#fit = fit;
    this.#gate = new FpsGate(pace.maxFps);
    this.#maxInFlight = pace.maxInFlight;
    this.#clock = new FrameClock();
    const ws = new WebSocket(streamUrl(location, pipelineId));
    ws.binaryType = 'arraybuffer';
    this.#socket = ws;
    ws.onopen = () => {
      if (ws !== this.#socket) return;
      this.#call('OnStreamOpened');
      this.#loop = requestAnimationFrame((t) => this.#capture(t));
    };
    ws.onmessage = (e) => {
      if (ws === this.#socket && typeof e.data === 'string') this.#answer(e.data);
    };
    // No reconnect: after an error close the person decides (Retry).
    ws.onclose = (e) => {
      if (ws !== this.#socket) return;
      this.#stop();
      this.#call('OnStreamClosed', e.code);
    };
  }

  /** Closes the socket and stops capturing; the events of a closed socket are ignored. */
  close() {
    const ws = this.#socket;
    this.#stop();
    if (ws) ws.close(1000);
  }

  /** { maxFps, maxInFlight }: the rate cap, and how many frames may await their answers at once. */
  setPace(pace) {
    this.#gate.maxFps = pace.maxFps;
    this.#maxInFlight = pace.maxInFlight;
  }

  dispose() {
    this.close();
    this.#overlayWatch.disconnect();
    this.#stopWatchingCircuit();
  }

  state() {
    const ws = this.#socket;
    return {
      bufferedAmount: ws ? ws.bufferedAmount : 0,
      framesSent: this.#clock.framesSent,
      pendingFrames: this.#clock.pending,
      maxFps: this.#gate.maxFps,
      maxInFlight: this.#maxInFlight,
      socketOpen: !!ws && ws.readyState === WebSocket.OPEN,
    };
  }

  #stop() {
    this.#socket = null;
    this.#awaitingOverlay.clear();
    cancelAnimationFrame(this.#loop);
  }

  #answer(text) {
    const now = performance.now();
    const { frameIndex, serverTotalMs } = readAnswer(text);
    const latency = frameIndex === null ? null : this.#clock.answered(frameIndex, now);
    if (latency !== null && serverTotalMs !== null) {
      pushSample(this.stats.latencies, latency);
      pushSample(this.stats.serverTotals, serverTotalMs);
      this.#awaitingOverlay.set(frameIndex, { capturedAt: now - latency, serverTotalMs });
    }
    this.#call('OnStreamMessage', text, latency, this.#clock.framesSent);
  }

  // At most maxInFlight frames await their answers: the capture rate follows the pipeline's pace and never exceeds
  // the cap. A frame still being encoded, or bytes still in the socket's send buffer, hold the next one back too:
  // frames are skipped, never queued.
  #capture(now) {
    const ws = this.#socket;
    if (!ws) return;
    this.#loop = requestAnimationFrame((t) => this.#capture(t));
    const video = this.#video;
    if (ws.readyState !== WebSocket.OPEN || !video.videoWidth || this.#encoding || this.#clock.pending >= this.#maxInFlight) return;
    if (!this.#gate.shouldCapture(now)) return;
    if (ws.bufferedAmount > 0) {
      this.stats.sendBufferWaits++;
      return;
    }
    this.#encoding = true;
    const canvas = this.#canvas;
    const { width, height } = captureSize(video.videoWidth, video.videoHeight, this.#fit);
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    canvas.getContext('2d').drawImage(video, 0, 0, width, height);
    canvas.toBlob(async (blob) => {
      try {
        if (!blob || ws !== this.#socket) return;
        // Sent as bytes, not as the blob: a blob is sent unseen by DevTools (and the browser tests), and the copy costs ~1 ms.
        const bytes = await blob.arrayBuffer();
        if (ws !== this.#socket || ws.readyState !== WebSocket.OPEN) return;
        this.#clock.sent(now);
        ws.send(bytes);
      } finally {
        this.#encoding = false;
      }
    }, 'image/jpeg', JPEG_QUALITY);
  }

  #overlayShown(stage) {
    const shown = stage.querySelector('[data-frame-index]')?.dataset.frameIndex;
    if (!shown) return;
    const index = Number(shown);
    const frame = this.#awaitingOverlay.get(index);
    if (frame !== undefined) {
      const latency = performance.now() - frame.capturedAt;
      pushSample(this.stats.overlayLatencies, latency);
      pushSample(this.stats.overlayOverServer, latency - frame.serverTotalMs);
    }
    for (const key of this.#awaitingOverlay.keys()) if (key <= index) this.#awaitingOverlay.delete(key);
  }

  // The circuit is down: nothing can be shown, so the stream ends now (the camera module ends its tracks).
  // .NET hears of it when the same circuit is back; a circuit that never comes back needs a reload anyway.
  #onCircuitLost() {
    if (!this.#socket) return;
    this.#lostCircuit = true;
    this.close();
  }

  #onCircuitRestored() {
    if (!this.#lostCircuit) return;
    this.#lostCircuit = false;
    this.#call('OnStreamInterrupted');
  }

  #call(method, ...args) {
    // While the circuit is down a call never settles; the promise is dropped, not awaited.
    this.#dotnet.invokeMethodAsync(method, ...args).catch(() => {});
  }
}
