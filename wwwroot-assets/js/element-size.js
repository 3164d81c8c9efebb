// Reports an element's displayed size (CSS pixels) to .NET whenever it changes: the overlay draws in those pixels.
const observers = new WeakMap();

export function observe(element, dotnet) {
  let last = '';
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.round(entry.contentRect.width);
    const height = Math.round(entry.contentRect.height);
    const key = `${width}x${height}`;
    if (key === last) return;
    last = key;
    dotnet.invokeMethodAsync('OnDisplaySize', width, height).catch(() => {});
  });
  observer.observe(element);
  observers.set(element, observer);
}

export function unobserve(element) {
  observers.get(element)?.disconnect();
  observers.delete(element);
}
