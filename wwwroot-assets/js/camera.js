// The stream page's camera: getUserMedia into its <video>, and the end of it. Created and called from .NET
// (CameraPreview); the object keeps its video element, so it can still end the tracks after the page is gone.
import { cameraErrorKind } from './stream-logic.js';
import { watchCircuit } from './circuit.js';

export function createCamera(video) {
  return new Camera(video);
}

class Camera {
  #video;
  #media = null;
  #stopWatchingCircuit;

  constructor(video) {
    this.#video = video;
    // Without its circuit the page can neither show nor stop anything: a lost circuit ends the camera at once.
    this.#stopWatchingCircuit = watchCircuit({ onLost: () => this.stop() });
  }

  /**
   * Starts the camera (640×480 preferred; a given deviceId exactly). Returns the device in use and the cameras
   * there are (labels are known once permission is granted), or { error } with the kind of failure.
   */
  async start(deviceId) {
    if (this.#live() && (!deviceId || this.#deviceId() === deviceId)) return this.#describe();
    this.stop();
    let media;
    try {
      media = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { width: { ideal: 640 }, height: { ideal: 480 }, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) },
      });
    } catch (err) {
      return { error: cameraErrorKind(err) };
    }
    this.#media = media;
    const video = this.#video;
    video.srcObject = media;
    await video.play().catch(() => {});
    if (!video.videoWidth) await new Promise((r) => video.addEventListener('loadedmetadata', r, { once: true }));
    return this.#describe();
  }

  /** Ends the camera's tracks (the browser's camera light goes off) and empties the video. */
  stop() {
    this.#media?.getTracks().forEach((t) => t.stop());
    this.#media = null;
    this.#video.srcObject = null;
  }

  dispose() {
    this.stop();
    this.#stopWatchingCircuit();
  }

  #live() {
    return !!this.#media && this.#media.getVideoTracks().some((t) => t.readyState === 'live');
  }

  #deviceId() {
    return this.#media?.getVideoTracks()[0]?.getSettings().deviceId ?? null;
  }

  async #describe() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return {
      deviceId: this.#deviceId(),
      cameras: devices.filter((d) => d.kind === 'videoinput').map((d, i) => ({ id: d.deviceId, label: d.label || `Camera ${i + 1}` })),
    };
  }
}
