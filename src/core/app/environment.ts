// Where commands run: the sandbox (default) or AWS. Both keep executions in the state directory.
import { rm } from 'node:fs/promises';
import { resetClients } from '../aws/clients.ts';
import { FileExecutionStore } from '../runner/execution-store.ts';
import { DEFAULT_SEED_PATH, loadSeed, Sandbox } from '../sandbox/index.ts';

export interface EnvironmentOptions {
  stateDir?: string;
  seedFile?: string;
  aws?: boolean;
  faults?: string[];
  /** start the sandbox afresh from its seed */
  reset?: boolean;
}

export interface Environment {
  readonly kind: 'sandbox' | 'aws';
  readonly stateDir: string;
  readonly store: FileExecutionStore;
  readonly sandbox?: Sandbox;
  /** persist the sandbox (a no-op against AWS) */
  save(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_STATE_DIR = '.privatelink';

export async function openEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  if (options.aws) {
    if (options.faults?.length) throw new Error('--fault works on the sandbox only');
    resetClients();
    const dir = `${stateDir}/aws`;
    return {
      kind: 'aws',
      stateDir: dir,
      store: new FileExecutionStore(dir),
      save: async () => {},
      close: async () => {},
    };
  }
  if (options.reset) await rm(stateDir, { recursive: true, force: true });
  const existing = await Sandbox.load(stateDir);
  const sandbox = existing ?? Sandbox.fromSeed(await loadSeed(options.seedFile ?? DEFAULT_SEED_PATH));
  for (const fault of options.faults ?? []) sandbox.addFault(fault);
  const detach = sandbox.attach();
  const save = () => sandbox.save(stateDir);
  if (!existing) await save();
  return {
    kind: 'sandbox',
    stateDir,
    store: new FileExecutionStore(stateDir),
    sandbox,
    save,
    close: async () => {
      await save();
      detach();
    },
  };
}
