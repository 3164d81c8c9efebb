import { test } from 'node:test';
import assert from 'node:assert/strict';
import { submitUrl, uploadPercent, uploadErrorMessage, nearestResult, caption, captionTransform, captionPlacement } from '../js/jobs-logic.js';

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
});

test('submitUrl encodes the pipeline and adds a stride only above 1', () => {
  assert.equal(submitUrl('yolo', '1'), 'v1/video/submit?pipeline_id=yolo');
  assert.equal(submitUrl('a b', '3'), 'v1/video/submit?pipeline_id=a+b&frame_stride=3');
  assert.equal(submitUrl('yolo', ''), 'v1/video/submit?pipeline_id=yolo');
});

test('uploadPercent is a whole clamped percent', () => {
  assert.equal(uploadPercent(0, 0), 0);
  assert.equal(uploadPercent(999, 1000), 99);
  assert.equal(uploadPercent(1000, 1000), 100);
  assert.equal(uploadPercent(2000, 1000), 100);
});

test('uploadErrorMessage prefers the server detail', () => {
  assert.equal(uploadErrorMessage(400, '{"error":"invalid_video","detail":"Not an MP4."}'), 'Not an MP4.');
  assert.equal(uploadErrorMessage(413, '<html>'), 'The video is larger than the server accepts.');
  assert.equal(uploadErrorMessage(0, ''), 'The upload could not reach the server.');
  assert.equal(uploadErrorMessage(500, ''), 'The upload failed (HTTP 500).');
});

test('caption and its transform', () => {
  assert.equal(caption('dog', 0.914), 'dog 91%');
  assert.equal(captionTransform(0.1, 0.5, 2), 'translate(0.1 0.49) scale(0.5 1)');
  assert.equal(captionTransform(0.1, 0.01, 1), 'translate(0.1 0.05) scale(1 1)');
});

test('captionPlacement right-aligns a caption that would leave the frame', () => {
  assert.deepEqual(captionPlacement({ x: 0.1, y: 0.5, w: 0.2, label: 'dog' }, 1), { anchor: null, transform: 'translate(0.1 0.49) scale(1 1)' });
  assert.deepEqual(captionPlacement({ x: 0.9, y: 0.5, w: 0.08, label: 'dog' }, 1), { anchor: 'end', transform: 'translate(0.98 0.49) scale(1 1)' });
});
