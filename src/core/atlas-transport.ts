// How Atlas HTTP requests leave the process: the global fetch in Lambda and with --aws, the simulated
// Atlas organization on the sandbox (which swaps itself in here, as it does for the SDK clients and
// the clock), so the steps and the adapter run unchanged in both.
export type AtlasFetch = (url: string, init: RequestInit) => Promise<Response>;

let current: AtlasFetch = (url, init) => fetch(url, init);
const observers = new Set<(url: string, init: RequestInit) => void>();

export const atlasFetch: AtlasFetch = (url, init) => {
  for (const observe of observers) observe(url, init);
  return current(url, init);
};

/** Replaces the transport; returns a function that restores the previous one. */
export function useAtlasTransport(next: AtlasFetch): () => void {
  const previous = current;
  current = next;
  return () => {
    current = previous;
  };
}

/** Calls `observe` before every Atlas request, whichever transport answers it (e.g. to attribute calls); returns an unsubscribe. */
export function onAtlasRequest(observe: (url: string, init: RequestInit) => void): () => void {
  observers.add(observe);
  return () => observers.delete(observe);
}
