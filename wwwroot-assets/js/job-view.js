// The job view (/jobs/{id}): plays the uploaded video and draws the nearest processed frame's boxes over it,
// synced to playback (requestVideoFrameCallback where available, timeupdate/seeked otherwise).
import { nearestResult, caption, captionPlacement, captionTransform, FONT_SIZE } from './jobs-logic.js';

const SVG = 'http://www.w3.org/2000/svg';
const view = document.querySelector('[data-job-view]');
const jobId = view.dataset.jobId;
const video = view.querySelector('video[data-testid="job-video"]');
const svg = view.querySelector('[data-job-overlay] svg');
const frameLabel = view.querySelector('[data-job-overlay] [data-testid="frame-index"]');

let results = [];
let shown = null;

function aspect() {
  return video.videoWidth > 0 && video.videoHeight > 0 ? video.videoWidth / video.videoHeight : 4 / 3;
}

function draw(entry) {
  if (entry === shown) return;
  shown = entry;
  svg.replaceChildren();
  if (!entry) {
    frameLabel.hidden = true;
    return;
  }
  const a = aspect();
  for (const d of entry.result.detections) {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('data-testid', 'detection');
    g.setAttribute('data-label', d.label);
    g.setAttribute('class', 'detection');
    const rect = document.createElementNS(SVG, 'rect');
    for (const [k, v] of [['x', d.x], ['y', d.y], ['width', d.w], ['height', d.h]]) rect.setAttribute(k, String(v));
    rect.setAttribute('vector-effect', 'non-scaling-stroke');
    const text = document.createElementNS(SVG, 'text');
    const placement = captionPlacement(d, a);
    if (placement.anchor) text.setAttribute('text-anchor', placement.anchor);
    text.setAttribute('font-size', String(FONT_SIZE));
    text.setAttribute('transform', placement.transform);
    text.textContent = caption(d.label, d.score);
    g.append(rect, text);
    svg.append(g);
  }
  for (const t of entry.result.texts ?? []) {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('data-testid', 'text');
    g.setAttribute('class', 'text-box');
    const rect = document.createElementNS(SVG, 'rect');
    for (const [k, v] of [['x', t.x], ['y', t.y], ['width', t.w], ['height', t.h]]) rect.setAttribute(k, String(v));
    rect.setAttribute('vector-effect', 'non-scaling-stroke');
    const text = document.createElementNS(SVG, 'text');
    text.setAttribute('font-size', String(FONT_SIZE));
    text.setAttribute('transform', captionTransform(t.x, t.y + t.h + FONT_SIZE, a));
    text.textContent = t.text;
    g.append(rect, text);
    svg.append(g);
  }
  frameLabel.textContent = `frame ${entry.frame_index}`;
  frameLabel.hidden = false;
}

function sync(mediaTimeSeconds) {
  draw(nearestResult(results, mediaTimeSeconds * 1000));
}

function onFrame(_now, metadata) {
  sync(metadata.mediaTime);
  video.requestVideoFrameCallback(onFrame);
}

async function loadResults() {
  const response = await fetch(`v1/video/results/${jobId}`);
  if (!response.ok) return false;
  results = (await response.json()).results;
  view.dataset.overlayReady = 'true';
  sync(video.currentTime);
  return true;
}

for (const type of ['timeupdate', 'seeked', 'loadeddata']) {
  video.addEventListener(type, () => sync(video.currentTime));
}
if ('requestVideoFrameCallback' in HTMLVideoElement.prototype) video.requestVideoFrameCallback(onFrame);

if (view.dataset.status === 'completed') {
  loadResults();
} else if (view.dataset.status !== 'failed') {
  // Not done yet: the server tells this page when the job ends; the page then shows its summary and overlay.
  const feed = new EventSource(view.dataset.jobsFeed);
  feed.addEventListener('job', (e) => {
    const job = JSON.parse(e.data);
    if (job.job_id === jobId && (job.status === 'completed' || job.status === 'failed')) {
      feed.close();
      location.reload();
    }
  });
}
