// Blazor's reconnect dialog (#components-reconnect-modal, in App.razor). Blazor sets its state classes and tells
// its state in components-reconnect-state-changed events; this opens and closes the dialog and wires its buttons.
// Plain script, not the circuit: it must work exactly when the circuit is gone.
const dialog = document.getElementById('components-reconnect-modal');

dialog.addEventListener('components-reconnect-state-changed', (e) => {
  if (e.detail.state === 'hide') dialog.close();
  else if (!dialog.open) dialog.showModal();
});

dialog.querySelector('.reconnect-retry').addEventListener('click', async () => {
  // Rejoin the same circuit; when the server no longer has it, only a reload brings the page back.
  const rejoined = await window.Blazor.reconnect().catch(() => false);
  if (!rejoined && !(await window.Blazor.resumeCircuit().catch(() => false))) location.reload();
});

for (const button of dialog.querySelectorAll('.reconnect-reload')) {
  button.addEventListener('click', () => location.reload());
}
