// Pure logic of the jobs pages (no DOM, no network), unit-tested with node --test.

/** The submit URL for an upload (relative to the page's <base href="/">). */
export function submitUrl(pipelineId, frameStride) {
  const query = new URLSearchParams({ pipeline_id: pipelineId });
  const stride = Number.parseInt(frameStride, 10);
  if (Number.isInteger(stride) && stride > 1) query.set('frame_stride', String(stride));
  return `v1/video/submit?${query}`;
}

/** Whole percent of an upload from an XMLHttpRequest progress event's numbers. */
export function uploadPercent(loaded, total) {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((loaded * 100) / total)));
}

/** What to tell the person when the server refused an upload: its own sentence when it sent one. */
export function uploadErrorMessage(status, bodyText) {
  try {
    const body = JSON.parse(bodyText);
    if (body && typeof body.detail === 'string' && body.detail) return body.detail;
  } catch {
    // not JSON: fall through
  }
  if (status === 413) return 'The video is larger than the server accepts.';
  if (status === 0) return 'The upload could not reach the server.';
  return `The upload failed (HTTP ${status}).`;
}

/**
 * The processed frame nearest to a playback time: results are in frame order (so by timestamp_ms);
 * binary search, ties go to the earlier frame. Null when there are none.
 */
export function nearestResult(results, timeMs) {
  if (!results || results.length === 0) return null;
  let lo = 0;
  let hi = results.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (results[mid].timestamp_ms < timeMs) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && timeMs - results[lo - 1].timestamp_ms <= results[lo].timestamp_ms - timeMs) return results[lo - 1];
  return results[lo];
}

/** The caption shown on a box: "label NN%". */
export function caption(label, score) {
  return `${label} ${Math.round(score * 100)}%`;
}

/** Caption height as a fraction of the frame's height (as the live overlay). */
export const FONT_SIZE = 0.034;

// Average glyph advance of the caption font, in em.
const GLYPH_EM = 0.62;

/** Where a box's caption goes in the 0..1 overlay: above the top-left corner, inside when the box touches the top. */
export function captionTransform(x, y, aspect) {
  const baseline = y < 0.05 ? y + 0.04 : y - 0.01;
  const sx = aspect > 0 ? 1 / aspect : 1;
  return `translate(${round(x)} ${round(baseline)}) scale(${round(sx)} 1)`;
}

/**
 * Caption placement for a detection: right-aligned to the box's right edge when it would run off the frame.
 * Returns the SVG text-anchor (null = start) and transform.
 */
export function captionPlacement(d, aspect) {
  const a = aspect > 0 ? aspect : 1;
  const rightAligned = d.x + ((d.label.length + 4) * FONT_SIZE * GLYPH_EM) / a > 1;
  return {
    anchor: rightAligned ? 'end' : null,
    transform: captionTransform(rightAligned ? d.x + d.w : d.x, d.y, a),
  };
}

function round(v) {
  return Math.round(v * 10000) / 10000;
}
