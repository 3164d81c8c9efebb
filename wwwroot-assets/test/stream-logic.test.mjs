import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FpsGate, FrameClock, readAnswer, streamUrl, cameraErrorKind, pushSample, captureSize,
} from '../js/stream-logic.js';

test('gate at 15 FPS spaces captures by 1/15 s', () => {
  const g = new FpsGate(15);
  assert.equal(g.shouldCapture(1000), true);
  assert.equal(g.shouldCapture(1050), false);
  assert.equal(g.shouldCapture(1063), true);
});

test('gate on 60 Hz animation frames captures 15 frames a second', () => {
  const g = new FpsGate(15);
  let captured = 0;
  for (let i = 0; i < 600; i++) if (g.shouldCapture(1000 + i * (1000 / 60))) captured++;
  assert.equal(captured, 150);
});

test('gate follows a new cap at once', () => {
  const g = new FpsGate(15);
  g.shouldCapture(0);
  g.maxFps = 5;
  assert.equal(g.shouldCapture(100), false);
  assert.equal(g.shouldCapture(197), true);
});

test('frame clock numbers frames from 0 like the server and times their answers', () => {
  const c = new FrameClock();
  assert.equal(c.sent(100), 0);
  assert.equal(c.sent(150), 1);
  assert.equal(c.pending, 2);
  assert.equal(c.answered(0, 130), 30);
  assert.equal(c.answered(1, 200), 50);
  assert.equal(c.answered(1, 210), null);
  assert.equal(c.pending, 0);
});

test('frame clock forgets the oldest frames beyond its limit', () => {
  const c = new FrameClock(2);
  c.sent(0); c.sent(1); c.sent(2);
  assert.equal(c.pending, 2);
  assert.equal(c.answered(0, 5), null);
  assert.equal(c.answered(2, 5), 3);
});

test('readAnswer takes the answered frame and the server time, nothing else', () => {
  assert.deepEqual(readAnswer('{"frame_index":4,"result":{"detections":[]},"timings":{"total_ms":11.5}}'),
    { frameIndex: 4, serverTotalMs: 11.5 });
  assert.deepEqual(readAnswer('{"frame_index":5,"dropped":true}'), { frameIndex: 5, serverTotalMs: null });
  assert.deepEqual(readAnswer('{"warning":"slow_down"}'), { frameIndex: null, serverTotalMs: null });
  assert.deepEqual(readAnswer('{"frame_index":"5"}'), { frameIndex: null, serverTotalMs: null });
  assert.deepEqual(readAnswer('not json'), { frameIndex: null, serverTotalMs: null });
  assert.deepEqual(readAnswer('null'), { frameIndex: null, serverTotalMs: null });
});

test('stream URL follows the page host and scheme', () => {
  assert.equal(streamUrl({ protocol: 'http:', host: 'localhost:5000' }, 'yolo'),
    'ws://localhost:5000/ws/video/stream?pipeline_id=yolo');
  assert.equal(streamUrl({ protocol: 'https:', host: 'app.example' }, 'a b'),
    'wss://app.example/ws/video/stream?pipeline_id=a%20b');
});

test('camera errors map to permission, no camera, in use', () => {
  assert.equal(cameraErrorKind({ name: 'NotAllowedError' }), 'permission_denied');
  assert.equal(cameraErrorKind({ name: 'SecurityError' }), 'permission_denied');
  assert.equal(cameraErrorKind({ name: 'NotFoundError' }), 'no_camera');
  assert.equal(cameraErrorKind({ name: 'OverconstrainedError' }), 'no_camera');
  assert.equal(cameraErrorKind({ name: 'NotReadableError' }), 'camera_in_use');
  assert.equal(cameraErrorKind(new Error('x')), 'unknown');
});

test('samples are bounded: the oldest goes', () => {
  const list = [];
  for (let i = 0; i < 5; i++) pushSample(list, i, 3);
  assert.deepEqual(list, [2, 3, 4]);
});

test('capture size fits the pipeline box, keeps the aspect and never scales up', () => {
  assert.deepEqual(captureSize(640, 480, { width: 416, height: 416 }), { width: 416, height: 312 });
  assert.deepEqual(captureSize(1280, 720, { width: 416, height: 416 }), { width: 416, height: 234 });
  assert.deepEqual(captureSize(480, 640, { width: 416, height: 416 }), { width: 312, height: 416 });
  assert.deepEqual(captureSize(320, 240, { width: 416, height: 416 }), { width: 320, height: 240 });
  assert.deepEqual(captureSize(640, 480, { width: 1920, height: 1920 }), { width: 640, height: 480 });
});

test('capture size is the camera\'s own without a box', () => {
  assert.deepEqual(captureSize(640, 480, { width: 0, height: 0 }), { width: 640, height: 480 });
  assert.deepEqual(captureSize(640, 480, null), { width: 640, height: 480 });
});
