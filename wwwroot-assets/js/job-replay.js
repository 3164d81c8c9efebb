// The job view's replay: while the uploaded video plays (or is seeked), tells .NET which processed frame is on screen
// and that frame's result, so the page draws it with the same overlay as the live stream. Synced to the video's
// frames with requestVideoFrameCallback where the browser has it, timeupdate/seeked otherwise.
import { nearestResult } from './jobs-logic.js';

export function createReplay(video, dotnet) {
  return new Replay(video, dotnet);
}

class Replay {
  #video;
  #dotnet;
  #results = [];
  #shown = null;
  #disposed = false;
  #onEvent = () => this.#sync(this.#video.currentTime);

  constructor(video, dotnet) {
    this.#video = video;
    this.#dotnet = dotnet;
    for (const type of ['timeupdate', 'seeked', 'loadeddata']) video.addEventListener(type, this.#onEvent);
    if ('requestVideoFrameCallback' in HTMLVideoElement.prototype) video.requestVideoFrameCallback((n, m) => this.#onFrame(n, m));
  }

  /** Loads the job's results (GET /v1/video/results/{id}); true when there were some to replay. */
  async load(resultsUrl) {
    const response = await fetch(resultsUrl);
    if (!response.ok || this.#disposed) return false;
    this.#results = (await response.json()).results;
    this.#shown = null;
    this.#sync(this.#video.currentTime);
    return this.#results.length > 0;
  }

  dispose() {
    this.#disposed = true;
    for (const type of ['timeupdate', 'seeked', 'loadeddata']) this.#video.removeEventListener(type, this.#onEvent);
  }

  #onFrame(_now, metadata) {
    if (this.#disposed) return;
    this.#sync(metadata.mediaTime);
    this.#video.requestVideoFrameCallback((n, m) => this.#onFrame(n, m));
  }

  #sync(mediaTimeSeconds) {
    const entry = nearestResult(this.#results, mediaTimeSeconds * 1000);
    if (!entry || entry === this.#shown) return;
    this.#shown = entry;
    this.#dotnet.invokeMethodAsync('OnFrameShown', entry.frame_index, JSON.stringify(entry.result)).catch(() => {});
  }
}
