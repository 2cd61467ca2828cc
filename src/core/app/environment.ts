// Where commands run: the sandbox (default) or AWS. Both keep executions in the state directory.
// Several processes may share one state directory: the sandbox is created under its lock (the
// first process seeds it, the others load that), and an environment writes the sandbox back only
// when something changed in it, never for a read-only command.
import { rm } from 'node:fs/promises';
import { resetClients } from '../aws/clients.ts';
import { canonicalJson } from '../domain/request.ts';
import { FileExecutionStore } from '../runner/execution-store.ts';
import { DEFAULT_SEED_PATH, loadSeed, parseSeed, Sandbox } from '../sandbox/index.ts';
import { SharedJsonFile } from '../sandbox/shared-state.ts';
import type { LocalSlack } from './local-integrations.ts';

export interface EnvironmentOptions {
  stateDir?: string;
  seedFile?: string;
  aws?: boolean;
  faults?: string[];
  /** start the sandbox afresh from its seed */
  reset?: boolean;
  /** a read-only command (status, list, plan, verify, resolve, sandbox inventory): the state is never written */
  readOnly?: boolean;
  /** where the workflows' NotifySlack states post locally: wired by the entry point (src/slack/local-notifier.ts) */
  slack?: LocalSlack;
}

export interface Environment {
  readonly kind: 'sandbox' | 'aws';
  readonly stateDir: string;
  readonly store: FileExecutionStore;
  readonly sandbox?: Sandbox;
  readonly slack?: LocalSlack;
  /** persist the sandbox when it changed (a no-op against AWS and for read-only environments) */
  save(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `--sandbox-seed FILE` names a seed other than the one the existing sandbox was made from. Refused
 * rather than ignored (the user expects that seed's VPCs); a command-line error, exit 2.
 */
export class SeedConflictError extends Error {
  override readonly name = 'SeedConflictError' as const;
  readonly code = 'SeedConflict';
}

export const DEFAULT_STATE_DIR = '.privatelink';
/** The sandbox's file in the state directory (src/core/sandbox/sandbox.ts) and the name of its lock. */
const SANDBOX_FILE = 'sandbox.json';

/** What changes when the sandbox changes: every AWS call is counted, and time moves only by calls and advance(). */
const fingerprint = (sandbox: Sandbox) => `${sandbox.clock.now()}:${canonicalJson(sandbox.callCounts())}`;

async function refuseOtherSeed(stateDir: string, seedFile: string): Promise<void> {
  const saved = await new SharedJsonFile<{ seed?: unknown }>(stateDir, SANDBOX_FILE).read();
  if (!saved?.data.seed) return;
  const given = await loadSeed(seedFile);
  if (canonicalJson(parseSeed(saved.data.seed, `${stateDir}/${SANDBOX_FILE}`)) !== canonicalJson(given))
    throw new SeedConflictError(
      `${stateDir} holds a sandbox made from another seed than ${seedFile}; add --reset to start it afresh from that seed (deleting what it holds), or leave out --sandbox-seed to use it as it is`,
    );
}

export async function openEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  if (options.aws) {
    if (options.faults?.length) throw new Error('--fault works on the sandbox only');
    resetClients();
    const dir = `${stateDir}/aws`;
    return {
      kind: 'aws',
      stateDir: dir,
      ...(options.slack && { slack: options.slack }),
      store: new FileExecutionStore(dir),
      save: async () => {},
      close: async () => {},
    };
  }
  if (options.reset) await rm(stateDir, { recursive: true, force: true });
  else if (options.seedFile !== undefined) await refuseOtherSeed(stateDir, options.seedFile);

  const seeded = async () => Sandbox.fromSeed(await loadSeed(options.seedFile ?? DEFAULT_SEED_PATH));
  let sandbox: Sandbox;
  if (options.readOnly) {
    // Nothing saved yet: answer from the seed, and still write nothing.
    sandbox = (await Sandbox.load(stateDir)) ?? (await seeded());
  } else {
    // Created under the sandbox's lock: of processes opening a new directory at once, one seeds it.
    const shared = new SharedJsonFile(stateDir, SANDBOX_FILE);
    sandbox = await shared.withLock(async () => {
      const existing = await Sandbox.load(stateDir);
      if (existing) return existing;
      const fresh = await seeded();
      await fresh.save(stateDir);
      return fresh;
    });
    // Every change from now on is made under the state's lock against the latest state (issue: no update lost).
    sandbox.share(stateDir);
  }
  for (const fault of options.faults ?? []) sandbox.addFault(fault);
  const detach = sandbox.attach();
  let saved = fingerprint(sandbox);
  const save = async () => {
    if (options.readOnly) return;
    const now = fingerprint(sandbox);
    if (now === saved) return;
    await sandbox.save(stateDir);
    saved = now;
  };
  return {
    kind: 'sandbox',
    stateDir,
    store: new FileExecutionStore(stateDir),
    sandbox,
    ...(options.slack && { slack: options.slack }),
    save,
    close: async () => {
      try {
        await save();
      } finally {
        detach();
      }
    },
  };
}
