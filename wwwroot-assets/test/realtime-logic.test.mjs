import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FpsThrottler, classifyMessage, parseMessage, FrameClock, streamUrl, uiUrl, cameraErrorKind, median,
} from '../js/realtime-logic.js';

test('throttler starts at 15 FPS and spaces captures by 1/15 s', () => {
  const t = new FpsThrottler();
  assert.equal(t.fps, 15);
  assert.equal(t.shouldCapture(1000), true);
  assert.equal(t.shouldCapture(1050), false);
  assert.equal(t.shouldCapture(1063), true);
});

test('throttler on 60 Hz animation frames captures 15 frames a second', () => {
  const t = new FpsThrottler();
  let captured = 0;
  for (let i = 0; i < 600; i++) if (t.shouldCapture(1000 + i * (1000 / 60))) captured++;
  assert.equal(captured, 150);
});

test('throttler drops to 5 FPS on slow_down', () => {
  const t = new FpsThrottler();
  t.onSlowDown(0);
  assert.equal(t.fps, 5);
  assert.equal(t.shouldCapture(10), true);
  assert.equal(t.shouldCapture(190), false);
  assert.equal(t.shouldCapture(207), true);
});

test('throttler climbs back 1 FPS per 2 s without drops, up to 15', () => {
  const t = new FpsThrottler();
  t.onSlowDown(0);
  t.shouldCapture(1999);
  assert.equal(t.fps, 5);
  t.shouldCapture(2000);
  assert.equal(t.fps, 6);
  t.shouldCapture(9000);
  assert.equal(t.fps, 9);
  t.shouldCapture(100000);
  assert.equal(t.fps, 15);
});

test('a dropped frame restarts the 2 s wait', () => {
  const t = new FpsThrottler();
  t.onSlowDown(0);
  t.onDropped(1500);
  t.shouldCapture(3000);
  assert.equal(t.fps, 5);
  t.shouldCapture(3500);
  assert.equal(t.fps, 6);
});

test('messages are told apart by their keys', () => {
  assert.equal(classifyMessage({ frame_index: 0, result: { detections: [] }, timings: {} }), 'result');
  assert.equal(classifyMessage({ frame_index: 3, dropped: true }), 'dropped');
  assert.equal(classifyMessage({ warning: 'slow_down' }), 'warning');
  assert.equal(classifyMessage({ error: 'invalid_pipeline', detail: 'x' }), 'error');
  assert.equal(classifyMessage({ frame_index: 1 }), 'unknown');
  assert.equal(classifyMessage([1]), 'unknown');
  assert.equal(classifyMessage(null), 'unknown');
});

test('parseMessage returns null for non-JSON', () => {
  assert.deepEqual(parseMessage('{"warning":"slow_down"}'), { warning: 'slow_down' });
  assert.equal(parseMessage('not json'), null);
});

test('frame clock numbers frames from 0 like the server and matches answers', () => {
  const c = new FrameClock();
  assert.equal(c.sent(100), 0);
  assert.equal(c.sent(150), 1);
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

test('socket URLs follow the page host and scheme', () => {
  assert.equal(streamUrl({ protocol: 'http:', host: 'localhost:5000' }, 'yolo'),
    'ws://localhost:5000/ws/video/stream?pipeline_id=yolo');
  assert.equal(streamUrl({ protocol: 'https:', host: 'app.example' }, 'a b'),
    'wss://app.example/ws/video/stream?pipeline_id=a%20b');
  assert.equal(uiUrl({ protocol: 'https:', host: 'h' }), 'wss://h/ui/realtime');
});

test('camera errors map to permission, no camera, in use', () => {
  assert.equal(cameraErrorKind({ name: 'NotAllowedError' }), 'permission_denied');
  assert.equal(cameraErrorKind({ name: 'NotFoundError' }), 'no_camera');
  assert.equal(cameraErrorKind({ name: 'NotReadableError' }), 'camera_in_use');
  assert.equal(cameraErrorKind(new Error('x')), 'unknown');
});

test('median of odd and even lists', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
});
