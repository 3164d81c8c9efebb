import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uploadPercent, nearestResult } from '../js/jobs-logic.js';

const results = [0, 200, 400, 1000].map((t, i) => ({ frame_index: i, timestamp_ms: t, result: { detections: [] } }));

test('nearestResult picks the closest processed frame', () => {
  assert.equal(nearestResult(results, 0).timestamp_ms, 0);
  assert.equal(nearestResult(results, 290).timestamp_ms, 200);
  assert.equal(nearestResult(results, 310).timestamp_ms, 400);
  assert.equal(nearestResult(results, 99999).timestamp_ms, 1000);
  assert.equal(nearestResult(results, -5).timestamp_ms, 0);
});

test('nearestResult ties go to the earlier frame, empty gives null', () => {
  assert.equal(nearestResult(results, 100).timestamp_ms, 0);
  assert.equal(nearestResult([], 100), null);
  assert.equal(nearestResult(null, 100), null);
});

test('uploadPercent is a whole clamped percent', () => {
  assert.equal(uploadPercent(0, 0), 0);
  assert.equal(uploadPercent(999, 1000), 99);
  assert.equal(uploadPercent(1000, 1000), 100);
  assert.equal(uploadPercent(2000, 1000), 100);
});
