// Where the local runner keeps its executions (what Step Functions keeps in AWS): one JSON file per
// workflow and request, so `status` and `teardown` find them again from another process. Each file
// is changed under its own lock and only by the execution it records (or a later attempt), each write
// one revision on from the last, so a stale writer never clobbers a newer record.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isProcessAlive,
  type ProcessIdentity,
  processIdentity,
  withLock,
  writeFileAtomic,
} from '../sandbox/shared-state.ts';
import type { WorkflowName } from './definitions.ts';
import type { RunStats } from './local-runner.ts';
import type { RunProgress } from './results.ts';

export interface ExecutionRecord {
  workflow: WorkflowName;
  requestId: string;
  executionName: string;
  /** 1 for the first execution of this workflow for the request, then 2, 3, … */
  attempt?: number;
  /** the process running it (local runner): pid, host and start time, so a dead (or reused) pid is known */
  owner?: ProcessIdentity;
  /** the pid alone, as records written before `owner` say it */
  pid?: number;
  /** one more at every write of this execution's record (the store sets it) */
  revision?: number;
  /**
   * set when read, never stored: RUNNING, but the process running it is gone (a crash, a killed
   * terminal); the same request again carries on from what it left
   */
  interrupted?: true;
  /** canonical hash of the request body, to refuse the same id with a different body */
  requestHash: string;
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  stoppedAt?: string;
  currentStep?: string;
  /** the latest waiting status and actions a step reported (results.ts progressOf), while RUNNING */
  progress?: RunProgress;
  output?: unknown;
  error?: string;
  cause?: string;
  stats?: RunStats;
}

/**
 * A write from an execution that is no longer the request's latest: a later attempt started (in
 * this or another process), or another writer changed this execution's record since.
 */
export class ExecutionSupersededError extends Error {
  override readonly name = 'ExecutionSupersededError' as const;
  readonly code = 'ExecutionSuperseded';
}

/** Attempt of a record: its field, else the `-N` suffix of its name (records from before the field), else 1. */
export function attemptOf(record: Pick<ExecutionRecord, 'attempt' | 'executionName'>): number {
  return record.attempt ?? Number(/-(\d+)$/.exec(record.executionName)?.[1] ?? 1);
}

/** Executions this process runs now, by store directory, workflow and request (markRunning). */
const running = new Set<string>();
const runningKey = (dir: string, workflow: WorkflowName, requestId: string, executionName: string) =>
  `${dir}\u0000${workflow}\u0000${requestId}\u0000${executionName}`;

function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.pid === b.pid && a.host === b.host && a.start === b.start;
}

export class FileExecutionStore {
  constructor(private readonly dir: string) {}

  private name(workflow: WorkflowName, requestId: string): string {
    // The id becomes a file name: never a path, whoever calls.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(requestId)) throw new Error('not a request id: 1-64 characters of A-Za-z0-9_-');
    return `${workflow}-${requestId}.json`;
  }

  private get executions(): string {
    return join(this.dir, 'executions');
  }

  /** The record, marked `interrupted` when it is RUNNING in a process that is gone. */
  async get(workflow: WorkflowName, requestId: string): Promise<ExecutionRecord | undefined> {
    const record = await this.read(workflow, requestId);
    if (record && this.isInterrupted(record)) record.interrupted = true;
    return record;
  }

  private async read(workflow: WorkflowName, requestId: string): Promise<ExecutionRecord | undefined> {
    try {
      const record = JSON.parse(
        await readFile(join(this.executions, this.name(workflow, requestId)), 'utf8'),
      ) as ExecutionRecord;
      delete record.interrupted;
      return record;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** RUNNING, but nobody runs it: its process is gone, or it is this process and the execution is not running here. */
  private isInterrupted(record: ExecutionRecord): boolean {
    if (record.status !== 'RUNNING') return false;
    const owner =
      record.owner ?? (record.pid === undefined ? undefined : { pid: record.pid, host: processIdentity().host });
    // No owner recorded: nothing to check it by, so it is taken as running (as a Step Functions execution is).
    if (!owner) return false;
    if (sameProcess(owner, processIdentity()) || (record.owner === undefined && owner.pid === process.pid))
      return !running.has(runningKey(this.dir, record.workflow, record.requestId, record.executionName));
    return !isProcessAlive(owner);
  }

  /**
   * Writes `record` and returns it as written (with its new revision). Refused with an
   * ExecutionSupersededError when the file holds a later attempt, or this attempt at another revision
   * than `record.revision` (someone else wrote it since this writer last did).
   */
  async put(record: ExecutionRecord): Promise<ExecutionRecord> {
    const name = this.name(record.workflow, record.requestId);
    return withLock(
      this.executions,
      async () => {
        const current = await this.read(record.workflow, record.requestId);
        if (current) {
          const mine = attemptOf(record);
          const theirs = attemptOf(current);
          if (mine < theirs)
            throw new ExecutionSupersededError(
              `${record.workflow} of ${record.requestId}: attempt ${theirs} (${current.executionName}) has started since attempt ${mine}`,
            );
          if (mine === theirs && (current.revision ?? 0) !== (record.revision ?? 0))
            throw new ExecutionSupersededError(
              `${record.workflow} of ${record.requestId}: ${record.executionName} was written by another writer since (revision ${current.revision ?? 0}, not ${record.revision ?? 0})`,
            );
        }
        const { interrupted: _, ...stored } = record;
        const written: ExecutionRecord = { ...stored, revision: (record.revision ?? 0) + 1 };
        await writeFileAtomic(join(this.executions, name), `${JSON.stringify(written, null, 2)}\n`);
        return written;
      },
      name,
    );
  }

  /** Marks an execution as running in this process until the returned function is called. */
  markRunning(record: Pick<ExecutionRecord, 'workflow' | 'requestId' | 'executionName'>): () => void {
    const key = runningKey(this.dir, record.workflow, record.requestId, record.executionName);
    running.add(key);
    return () => running.delete(key);
  }

  /** Runs `fn` holding the request's start lock, across processes: one start (or teardown) of a request at a time. */
  withRequestLock<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
    this.name('provision', requestId);
    return withLock(this.executions, fn, `start-${requestId}`);
  }

  /**
   * Runs `fn` holding the lock on the names requests claim, across processes: a start checks the
   * other requests' names and writes its record under it, so two colliding starts can't both pass.
   * Always taken inside a request lock, never the other way round.
   */
  withNamesLock<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(this.executions, fn, 'names');
  }

  async list(workflow: WorkflowName): Promise<ExecutionRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.executions);
    } catch {
      return [];
    }
    const records: ExecutionRecord[] = [];
    for (const name of names.filter((n) => n.startsWith(`${workflow}-`) && n.endsWith('.json')).sort()) {
      const record = await this.get(workflow, name.slice(workflow.length + 1, -'.json'.length));
      if (record) records.push(record);
    }
    return records;
  }
}
