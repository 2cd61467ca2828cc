// Waiting for the other party (consumer.external). The workflow's WaitForConsumer state waits on a
// task token; in AWS a Lambda stores the token in SSM and finalize calls SendTaskSuccess. Locally the
// same state waits here: the token is a file in the state directory, so `privatelink finalize` from
// another process, `POST /endpoints/{id}/finalize` in `serve`, and Slack all find it. Every change
// of a token file is made under its lock, so of concurrent finalize calls exactly one wins.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isProcessAlive,
  type ProcessIdentity,
  processIdentity,
  withLock,
  writeFileAtomic,
} from '../sandbox/shared-state.ts';

/** Finalize for a request that is not waiting for the other party (HTTP 409). */
export class NothingWaitingError extends Error {
  override readonly name: string = 'NothingWaitingError';
  readonly code: string = 'NotWaitingForConsumer';
}

/**
 * Finalize lost to another finalize of the same wait: the first report is the one the workflow
 * takes. A NothingWaitingError too, so every caller that answers 409 (or exit 2) for one does for this.
 */
export class FinalizeConflictError extends NothingWaitingError {
  override readonly name = 'FinalizeConflictError';
  override readonly code = 'AlreadyFinalized';
  constructor(
    message: string,
    /** the endpoint the winning finalize reported */
    readonly reportedEndpointId: string,
  ) {
    super(message);
  }
}

/**
 * The waiting state's TimeoutSeconds ran out before the other party reported its endpoint. Named as
 * Step Functions names a task timeout, so the state's Catch records it as `States.Timeout`.
 */
export class WaitTimeoutError extends Error {
  override readonly name = 'States.Timeout' as const;
}

/** When a wait gives up: the waiting state's TimeoutSeconds, counted on the clock the workflow runs on. */
export interface WaitDeadline {
  timeoutSeconds: number;
  /** epoch ms on `now`'s clock */
  at: number;
  now: () => number;
  /** wakes the wait whenever the clock moves (the sandbox's clock listener); returns an unsubscribe */
  onClockAdvance?: (wake: () => void) => () => void;
  /** before each look: catch up with a clock another process moved (`privatelink sandbox advance`) */
  catchUp?: () => Promise<void>;
}

/** What finalize hands to the waiting workflow (the task's output). */
export interface ConsumerReport {
  endpointId: string;
  /** the endpoint's DNS name, when the other party reports it (Hevo gives it with the id) */
  dnsName?: string;
}

/** What the waiting state tells whoever reads the status: the service the other party connects to. */
export interface WaitingFor {
  serviceId?: string;
  serviceName?: string;
}

interface TokenFile {
  requestId: string;
  taskToken: string;
  waitingFor?: WaitingFor;
  waitingSince: string;
  /** the process waiting: a token whose process died (a killed terminal) waits for nothing */
  owner?: ProcessIdentity;
  report?: ConsumerReport;
}

/** A token file some live process still waits on (files from before `owner` count as such). */
const stillWaiting = (file: TokenFile) => !file.report && (file.owner === undefined || isProcessAlive(file.owner));

export class FileHandOff {
  private readonly waiters = new Map<string, () => void>();

  constructor(
    private readonly stateDir: string,
    private readonly pollMs = 200,
  ) {}

  private path(requestId: string): string {
    // The id becomes a file name: never a path, whoever calls.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(requestId)) throw new Error('not a request id: 1-64 characters of A-Za-z0-9_-');
    return join(this.stateDir, 'task-tokens', `${requestId}.json`);
  }

  /** Every change of a request's token file holds this lock (across processes). */
  private locked<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
    this.path(requestId);
    return withLock(join(this.stateDir, 'task-tokens'), fn, requestId);
  }

  private async read(requestId: string): Promise<TokenFile | undefined> {
    try {
      return JSON.parse(await readFile(this.path(requestId), 'utf8')) as TokenFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async write(file: TokenFile): Promise<void> {
    await writeFileAtomic(this.path(file.requestId), `${JSON.stringify(file, null, 2)}\n`);
  }

  async isWaiting(requestId: string): Promise<boolean> {
    return (await this.waitingFor(requestId)) !== undefined;
  }

  /** What a waiting request waits on; undefined when it is not waiting. */
  async waitingFor(requestId: string): Promise<WaitingFor | undefined> {
    const file = await this.read(requestId);
    return file && stillWaiting(file) ? (file.waitingFor ?? {}) : undefined;
  }

  /**
   * Stores the token and resolves with the other party's report; past `deadline` it fails with a
   * WaitTimeoutError (the token is gone, so a late finalize hears that nothing waits); `signal`
   * abandons the wait.
   */
  async wait(
    requestId: string,
    taskToken: string,
    waitingFor: WaitingFor = {},
    options: { deadline?: WaitDeadline; signal?: AbortSignal } = {},
  ): Promise<ConsumerReport> {
    const { deadline, signal } = options;
    await this.locked(requestId, () =>
      this.write({
        requestId,
        taskToken,
        waitingFor,
        waitingSince: new Date().toISOString(),
        owner: processIdentity(),
      }),
    );
    const unsubscribe = deadline?.onClockAdvance?.(() => this.waiters.get(requestId)?.());
    try {
      for (;;) {
        const file = await this.read(requestId);
        if (file?.report) return file.report;
        await deadline?.catchUp?.();
        if (deadline && deadline.now() >= deadline.at)
          throw new WaitTimeoutError(
            `the other party reported no endpoint within ${deadline.timeoutSeconds} seconds (the waiting state's TimeoutSeconds)`,
          );
        if (signal?.aborted) throw signal.reason;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, this.pollMs);
          function done() {
            clearTimeout(timer);
            // one listener per look, removed again, so a long wait does not pile them up
            signal?.removeEventListener('abort', done);
            resolve();
          }
          this.waiters.set(requestId, done);
          signal?.addEventListener('abort', done, { once: true });
        });
        this.waiters.delete(requestId);
      }
    } finally {
      unsubscribe?.();
      // Only our own token (a newer wait of the same request keeps its file). A reported one stays, so
      // a late finalize hears which endpoint was taken (FinalizeConflictError), not that nothing waits.
      await this.locked(requestId, async () => {
        const file = await this.read(requestId);
        if (file?.taskToken === taskToken && !file.report) await rm(this.path(requestId), { force: true });
      });
    }
  }

  /**
   * Resumes the workflow waiting for `requestId`: NothingWaitingError when none is, FinalizeConflictError
   * when another finalize reported first (of concurrent calls, in any processes, exactly one wins).
   */
  async complete(requestId: string, report: ConsumerReport): Promise<void> {
    await this.locked(requestId, async () => {
      const file = await this.read(requestId);
      if (!file) throw new NothingWaitingError(`request ${requestId} is not waiting for the other party's endpoint`);
      if (file.report)
        throw new FinalizeConflictError(
          `request ${requestId} was already finalized with ${file.report.endpointId}; that endpoint is the one it accepts`,
          file.report.endpointId,
        );
      if (!stillWaiting(file))
        throw new NothingWaitingError(
          `request ${requestId} is not waiting for the other party's endpoint: the run that waited was interrupted; provision it again, then finalize`,
        );
      await this.write({ ...file, report });
    });
    this.waiters.get(requestId)?.();
  }
}

const handOffs = new Map<string, FileHandOff>();

/** One hand-off per state directory in this process, so finalize wakes the waiting workflow at once. */
export function handOffFor(stateDir: string): FileHandOff {
  let handOff = handOffs.get(stateDir);
  if (!handOff) {
    handOff = new FileHandOff(stateDir);
    handOffs.set(stateDir, handOff);
  }
  return handOff;
}

/** The task token in a WaitForConsumer state's input (`Payload.taskToken`, from `$$.Task.Token`). */
export function taskTokenOf(input: unknown): string {
  const token = (input as { Payload?: { taskToken?: unknown } } | undefined)?.Payload?.taskToken;
  if (typeof token !== 'string') throw new Error('the waiting state passes no Payload.taskToken');
  return token;
}

/** The service named in a WaitForConsumer state's input. */
export function waitingForOf(input: unknown): WaitingFor {
  const payload = (input as { Payload?: Record<string, unknown> } | undefined)?.Payload ?? {};
  return {
    ...(typeof payload.serviceId === 'string' && { serviceId: payload.serviceId }),
    ...(typeof payload.serviceName === 'string' && { serviceName: payload.serviceName }),
  };
}
