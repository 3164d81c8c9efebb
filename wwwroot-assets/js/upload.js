// The upload form's browser side. The chosen (or dropped) MP4 goes from the browser straight to the URL .NET gives
// (POST /v1/video/submit) with XMLHttpRequest, whose upload progress drives the bar: a 500 MB file never crosses the
// circuit. .NET (VideoUpload) hears each whole percent and the server's answer.
import { uploadPercent } from './jobs-logic.js';

export function createUploader(fileInput, dropZone, dotnet) {
  return new Uploader(fileInput, dropZone, dotnet);
}

class Uploader {
  #input;
  #zone;
  #dotnet;
  #xhr = null;
  #listeners;

  constructor(fileInput, dropZone, dotnet) {
    this.#input = fileInput;
    this.#zone = dropZone;
    this.#dotnet = dotnet;
    const over = (e) => {
      e.preventDefault();
      dropZone.classList.add('dragging');
    };
    // A dropped file becomes the input's file, and its change event tells .NET, as if it had been chosen.
    const drop = (e) => {
      e.preventDefault();
      dropZone.classList.remove('dragging');
      if (e.dataTransfer?.files.length) {
        fileInput.files = e.dataTransfer.files;
        fileInput.dispatchEvent(new Event('change', { bubbles: true }));
      }
    };
    const leave = () => dropZone.classList.remove('dragging');
    this.#listeners = [['dragenter', over], ['dragover', over], ['dragleave', leave], ['drop', drop]];
    for (const [type, listener] of this.#listeners) dropZone.addEventListener(type, listener);
  }

  /** Sends the chosen file as the multipart field 'file'; false when no file is chosen. */
  upload(url) {
    const file = this.#input.files[0];
    if (!file) return false;
    const body = new FormData();
    body.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    this.#xhr = xhr;
    let shown = -1;
    xhr.upload.addEventListener('progress', (p) => {
      const percent = uploadPercent(p.loaded, p.total);
      if (percent !== shown) {
        shown = percent;
        this.#call('OnUploadProgress', percent);
      }
    });
    xhr.addEventListener('load', () => this.#finish(xhr, xhr.status, xhr.responseText));
    xhr.addEventListener('error', () => this.#finish(xhr, 0, ''));
    xhr.open('POST', url);
    xhr.send(body);
    return true;
  }

  /** Empties the file input (after a successful upload). */
  clear() {
    this.#input.value = '';
  }

  /** The page went away: an upload in progress is cancelled with it. */
  dispose() {
    this.#xhr?.abort();
    this.#xhr = null;
    for (const [type, listener] of this.#listeners) this.#zone.removeEventListener(type, listener);
  }

  #finish(xhr, status, body) {
    if (xhr !== this.#xhr) return;
    this.#xhr = null;
    this.#call('OnUploadFinished', status, body);
  }

  #call(method, ...args) {
    this.#dotnet.invokeMethodAsync(method, ...args).catch(() => {});
  }
}
