// How Atlas HTTP requests leave the process: the global fetch in Lambda and with --aws, the simulated
// Atlas organization on the sandbox (which swaps itself in here, as it does for the SDK clients and
// the clock), so the steps and the adapter run unchanged in both.
export type AtlasFetch = (url: string, init: RequestInit) => Promise<Response>;

let current: AtlasFetch = (url, init) => fetch(url, init);

export const atlasFetch: AtlasFetch = (url, init) => current(url, init);

/** Replaces the transport; returns a function that restores the previous one. */
export function useAtlasTransport(next: AtlasFetch): () => void {
  const previous = current;
  current = next;
  return () => {
    current = previous;
  };
}
