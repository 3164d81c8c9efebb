// The /jobs page: uploads go from here straight to POST /v1/video/submit with XMLHttpRequest (so the browser
// reports upload progress), never through .NET UI code. The job list is re-rendered by the server and pushed
// over /ui/jobs/events (server-sent events); this module only swaps it in.
import { submitUrl, uploadPercent, uploadErrorMessage } from './jobs-logic.js';

const form = document.querySelector('[data-upload-form]');
const fileInput = form.querySelector('[data-upload-file]');
const fileName = form.querySelector('[data-upload-file-name]');
const dropZone = form.querySelector('[data-drop-zone]');
const submit = form.querySelector('[data-upload-submit]');
const progress = form.querySelector('[data-upload-progress]');
const progressBar = progress.querySelector('[role="progressbar"]');
const message = form.querySelector('[data-upload-message]');
const error = form.querySelector('[data-upload-error]');
const region = document.querySelector('[data-region="jobs"]');

function showProgress(percent) {
  progressBar.setAttribute('aria-valuenow', String(percent));
  progressBar.querySelector('.progress-fill').style.width = `${percent}%`;
  progressBar.querySelector('.progress-text').textContent = `${percent}%`;
}

function showError(text) {
  error.textContent = text;
  error.hidden = !text;
}

fileInput.addEventListener('change', () => {
  fileName.textContent = fileInput.files.length ? fileInput.files[0].name : '';
  showError('');
});

for (const type of ['dragenter', 'dragover']) {
  dropZone.addEventListener(type, (e) => {
    e.preventDefault();
    dropZone.classList.add('dragging');
  });
}
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  dropZone.classList.remove('dragging');
  if (e.dataTransfer && e.dataTransfer.files.length) {
    fileInput.files = e.dataTransfer.files;
    fileInput.dispatchEvent(new Event('change'));
  }
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const file = fileInput.files[0];
  if (!file) {
    showError('Choose an MP4 video first.');
    return;
  }
  const body = new FormData();
  body.append('file', file, file.name);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', submitUrl(form.elements.pipeline_id.value, form.elements.frame_stride.value));
  xhr.upload.addEventListener('progress', (p) => showProgress(uploadPercent(p.loaded, p.total)));
  xhr.addEventListener('load', () => {
    submit.disabled = false;
    if (xhr.status === 202) {
      showProgress(100);
      const { job_id: jobId } = JSON.parse(xhr.responseText);
      message.textContent = `Uploaded; job ${jobId} is queued.`;
      form.reset();
      fileName.textContent = '';
    } else {
      progress.hidden = true;
      showError(uploadErrorMessage(xhr.status, xhr.responseText));
    }
  });
  xhr.addEventListener('error', () => {
    submit.disabled = false;
    progress.hidden = true;
    showError(uploadErrorMessage(0, ''));
  });
  showError('');
  message.textContent = '';
  showProgress(0);
  progress.hidden = false;
  submit.disabled = true;
  xhr.send(body);
});

// EventSource reconnects by itself; each connection starts with the current list.
const feed = new EventSource(region.dataset.jobsFeed);
feed.addEventListener('jobs', (e) => {
  region.innerHTML = e.data;
});
window.addEventListener('pagehide', () => feed.close());
