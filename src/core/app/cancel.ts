// Cancelling a provisioning that waits on someone (teardown or DELETE of a request in
// WAITING_FOR_CONSUMER or WAITING_FOR_VENDOR): a file in the state directory that the running
// execution (in this process or another) watches; it then stops waiting, undoes what it made and
// ends FAILED with RequestCancelled, after which the teardown finds nothing left. In AWS the same is
// StopExecution followed by the teardown workflow.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../sandbox/shared-state.ts';

/** What a cancelled run fails with (its Catch compensates, as for any failure). */
export class RequestCancelledError extends Error {
  override readonly name = 'RequestCancelled' as const;
}

const path = (stateDir: string, requestId: string) => join(stateDir, 'cancel', `provision-${requestId}.json`);

export async function requestCancel(stateDir: string, requestId: string, reason: string): Promise<void> {
  await writeFileAtomic(
    path(stateDir, requestId),
    `${JSON.stringify({ requestId, reason, at: new Date().toISOString() })}\n`,
  );
}

/** The reason a cancel was asked for, or undefined. */
export async function cancelReason(stateDir: string, requestId: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(path(stateDir, requestId), 'utf8')) as { reason?: string }).reason ?? 'cancelled';
  } catch {
    return undefined;
  }
}

export async function clearCancel(stateDir: string, requestId: string): Promise<void> {
  await rm(path(stateDir, requestId), { force: true });
}

/**
 * Watches for a cancel of `requestId` every `pollMs` while a run lasts: `signal` aborts when one comes,
 * and `check()` throws RequestCancelledError once (the run's next task fails with it and compensates).
 */
export function watchCancel(stateDir: string, requestId: string, pollMs = 200) {
  const controller = new AbortController();
  let reason: string | undefined;
  let thrown = false;
  const timer = setInterval(async () => {
    if (reason !== undefined) return;
    const found = await cancelReason(stateDir, requestId);
    if (found === undefined) return;
    reason = found;
    controller.abort(new RequestCancelledError(found));
  }, pollMs);
  timer.unref();
  return {
    signal: controller.signal,
    check(): void {
      if (reason === undefined || thrown) return;
      thrown = true;
      throw new RequestCancelledError(reason);
    },
    /** The cancel reached the run another way (a wait aborted by `signal`): `check` throws no more. */
    consume(): void {
      thrown = true;
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
