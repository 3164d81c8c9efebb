// The page's Blazor circuit as the browser modules see it. Blazor reports its connection to the server on the
// reconnect dialog (#components-reconnect-modal, in the layout) as components-reconnect-state-changed events.
// They do not bubble, so they are caught on the way down (capture phase).
const EVENT = 'components-reconnect-state-changed';
const LOST = new Set(['show', 'paused']);

/**
 * Calls onLost when the circuit's connection goes down and onRestored when the same circuit is back.
 * Returns the function that stops listening.
 */
export function watchCircuit({ onLost, onRestored }) {
  const listener = (e) => {
    const state = e.detail?.state;
    if (LOST.has(state)) onLost?.();
    else if (state === 'hide') onRestored?.();
  };
  document.addEventListener(EVENT, listener, { capture: true });
  return () => document.removeEventListener(EVENT, listener, { capture: true });
}
