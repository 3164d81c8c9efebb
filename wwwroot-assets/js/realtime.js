// The page's live side. The camera and the frame socket (/ws/video/stream) live here: frames go straight from
// this module to the server, never through .NET UI code. The small JSON answers, button presses and camera
// events go to the page's .NET state over /ui/realtime, which sends back re-rendered regions and commands.
import {
  FpsThrottler, FrameClock, classifyMessage, parseMessage, streamUrl, uiUrl, cameraErrorKind,
} from './realtime-logic.js';

const JPEG_QUALITY = 0.8;
// Frames sent but not yet answered. The send buffer can be empty while frames still wait in TCP buffers on
// the way to a busy server; beyond this many, capture pauses until answers come back.
const MAX_IN_FLIGHT = 2;
const LATENCY_SAMPLES = 2000;

const video = document.querySelector('video[data-testid="camera"]');
const canvas = document.createElement('canvas');
const ui = new WebSocket(uiUrl(location));

let media = null;      // MediaStream while the camera runs
let stream = null;     // the current frame socket
let generation = 0;    // bumps when a frame socket is replaced, so the old one's events are ignored
let throttler = new FpsThrottler();
let clock = new FrameClock();
let encoding = false;
let loop = 0;

// Read by the browser tests and handy in devtools; bounded so it cannot grow.
const stats = { latencies: [], overlayLatencies: [], serverTotals: [] };
const awaitingOverlay = new Map(); // frame_index → capture time, from its result until the overlay shows it
window.streamingApp = {
  stats,
  state: () => ({
    bufferedAmount: stream ? stream.bufferedAmount : 0,
    framesSent: clock.framesSent,
    pendingFrames: clock.pending,
    throttleFps: throttler.fps,
    socketOpen: !!stream && stream.readyState === WebSocket.OPEN,
    cameraLive: !!media && media.getTracks().some((t) => t.readyState === 'live'),
  }),
};

function toServer(event) {
  if (ui.readyState === WebSocket.OPEN) ui.send(JSON.stringify(event));
}

function selectedPipeline() {
  return document.querySelector('select[data-action="select"]')?.value ?? '';
}

async function startCamera() {
  if (media && media.getTracks().some((t) => t.readyState === 'live')) return true;
  const choice = document.querySelector('select[data-camera]')?.value;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        width: { ideal: 640 },
        height: { ideal: 480 },
        ...(choice ? { deviceId: { exact: choice } } : {}),
      },
    });
  } catch (err) {
    toServer({ camera: cameraErrorKind(err), detail: String(err && err.message) });
    return false;
  }
  video.srcObject = media;
  await video.play().catch(() => {});
  if (!video.videoWidth) await new Promise((r) => video.addEventListener('loadedmetadata', r, { once: true }));
  toServer({ camera: 'started', aspect: video.videoWidth / video.videoHeight });
  await listCameras();
  return true;
}

// Camera choice: once permission is granted the devices have labels; offer them when there is more than one.
async function listCameras() {
  const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
  const holder = document.querySelector('[data-camera-choice]');
  if (!holder || cams.length < 2 || holder.querySelector('select')) return;
  const label = document.createElement('label');
  label.textContent = 'Camera ';
  const select = document.createElement('select');
  select.dataset.camera = '';
  for (const cam of cams) select.add(new Option(cam.label || cam.deviceId, cam.deviceId));
  select.addEventListener('change', () => { stopCamera(); startCamera(); });
  label.append(select);
  holder.append(label);
}

function stopCamera() {
  if (media) media.getTracks().forEach((t) => t.stop());
  media = null;
}

function closeStream() {
  generation++;
  awaitingOverlay.clear();
  if (stream) stream.close(1000);
  stream = null;
  cancelAnimationFrame(loop);
}

function openStream(pipelineId) {
  closeStream();
  const mine = ++generation;
  throttler = new FpsThrottler();
  clock = new FrameClock();
  const ws = new WebSocket(streamUrl(location, pipelineId));
  ws.binaryType = 'arraybuffer';
  stream = ws;
  ws.onopen = () => {
    if (mine !== generation) return;
    toServer({ stream: 'open' });
    loop = requestAnimationFrame(capture);
  };
  ws.onmessage = (e) => {
    if (mine !== generation || typeof e.data !== 'string') return;
    const msg = parseMessage(e.data);
    const kind = classifyMessage(msg);
    const now = performance.now();
    let latency = null;
    if (kind === 'result' || kind === 'dropped') {
      latency = clock.answered(msg.frame_index, now);
      if (kind === 'dropped') throttler.onDropped(now);
      if (kind === 'result' && latency !== null) {
        push(stats.latencies, latency);
        push(stats.serverTotals, msg.timings?.total_ms ?? null);
        awaitingOverlay.set(msg.frame_index, now - latency);
      }
    } else if (kind === 'warning' && msg.warning === 'slow_down') {
      throttler.onSlowDown(now);
    } else if (kind === 'unknown') {
      return;
    }
    toServer({ stream: 'message', data: msg, latency_ms: latency, frames_sent: clock.framesSent, throttle_fps: throttler.fps });
  };
  // No reconnect: after an error close the person decides (Retry).
  ws.onclose = (e) => {
    if (mine !== generation) return;
    stream = null;
    awaitingOverlay.clear();
    cancelAnimationFrame(loop);
    toServer({ stream: 'close', code: e.code });
  };
}

// Capture-to-overlay: from the capture of frame N to its boxes being in the page.
function overlayShown(index) {
  const capturedAt = awaitingOverlay.get(index);
  if (capturedAt !== undefined) push(stats.overlayLatencies, performance.now() - capturedAt);
  for (const key of awaitingOverlay.keys()) if (key <= index) awaitingOverlay.delete(key);
}

function push(list, value) {
  list.push(value);
  if (list.length > LATENCY_SAMPLES) list.shift();
}

function capture(now) {
  const ws = stream;
  if (!ws) return;
  loop = requestAnimationFrame(capture);
  // Skip while the previous frame is still being encoded, still sits in the socket's send buffer, or too many
  // frames await an answer: on a slow link or a busy server frames are skipped, never queued.
  if (encoding || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > 0 || clock.pending >= MAX_IN_FLIGHT) return;
  if (!media || !video.videoWidth) return;
  if (!throttler.shouldCapture(now)) return;
  encoding = true;
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  const capturedAt = now;
  canvas.toBlob(async (blob) => {
    try {
      if (!blob || ws !== stream || ws.readyState !== WebSocket.OPEN) return;
      const bytes = await blob.arrayBuffer();
      if (ws !== stream || ws.readyState !== WebSocket.OPEN) return;
      clock.sent(capturedAt);
      ws.send(bytes);
    } finally {
      encoding = false;
    }
  }, 'image/jpeg', JPEG_QUALITY);
}

// Without the UI connection nothing can be shown: stop streaming and say so (a reload reconnects).
ui.onclose = () => {
  closeStream();
  stopCamera();
  const status = document.querySelector('[data-region="status"]');
  if (status) status.innerHTML = '<span class="status" data-testid="stream-status">offline: reload the page</span>';
};

// Server → page.
ui.onmessage = (e) => {
  const msg = parseMessage(e.data);
  if (!msg) return;
  if (msg.command === 'connect') openStream(msg.pipeline_id);
  else if (msg.command === 'disconnect') closeStream();
  if (msg.render) {
    for (const [name, html] of Object.entries(msg.render)) {
      const region = document.querySelector(`[data-region="${name}"]`);
      if (region && region.innerHTML !== html) region.innerHTML = html;
    }
    document.querySelector('button[data-action="debug"]')?.setAttribute('aria-pressed', String(msg.debug_visible));
    overlayShown(msg.frame_index);
    document.body.dataset.status = msg.status;
  }
};

// Page → server: every control carries data-action; one delegated listener serves regions re-rendered later.
document.addEventListener('click', async (e) => {
  const button = e.target.closest('button[data-action]');
  if (!button) return;
  const action = button.dataset.action;
  if (action === 'start' || action === 'retry') {
    if (!(await startCamera())) return;
    toServer({ action, pipeline_id: selectedPipeline() });
  } else if (action === 'stop') {
    closeStream();
    stopCamera();
    toServer({ action });
  } else {
    toServer({ action });
  }
});

document.addEventListener('change', (e) => {
  if (e.target.matches('select[data-action="select"]')) toServer({ action: 'select', pipeline_id: e.target.value });
});
