// The environment of a command that only reads recorded executions (status, list): the execution
// store and nothing else, so it starts without the SDK clients, the sandbox or the workflow runner
// (about a second on a small machine). Same directories as src/core/app/environment.ts: the state
// directory for the sandbox, its aws/ subdirectory for --aws.
import type { Environment } from '../core/app/environment.ts';
import { FileExecutionStore } from '../core/runner/execution-store.ts';

/** environment.ts's DEFAULT_STATE_DIR, not imported from there: that module loads the SDK clients. */
const DEFAULT_STATE_DIR = '.privatelink';

export function openStoreEnvironment(options: { stateDir?: string; aws: boolean }): Environment {
  const base = options.stateDir ?? DEFAULT_STATE_DIR;
  const stateDir = options.aws ? `${base}/aws` : base;
  return {
    kind: options.aws ? 'aws' : 'sandbox',
    stateDir,
    store: new FileExecutionStore(stateDir),
    save: async () => {},
    close: async () => {},
  };
}
