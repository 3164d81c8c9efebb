// Pure logic of the jobs pages' browser modules (no DOM, no network), unit-tested with node --test.

/** Whole percent of an upload from an XMLHttpRequest progress event's numbers. */
export function uploadPercent(loaded, total) {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((loaded * 100) / total)));
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
