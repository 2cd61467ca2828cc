// Human progress lines on stderr, one per step, with the (simulated) time since the start; when the
// run starts waiting on someone (a vendor's acceptance, the other party's endpoint), who and what to do.
import type { Action } from '../core/domain/result.ts';
import { describeCaughtError } from '../core/errors.ts';
import type { RunEvent } from '../core/runner/local-runner.ts';
import { progressOf } from '../core/runner/results.ts';
import { explainFailure } from './render.ts';

function summary(state: string, output: unknown): string {
  const o = (output ?? {}) as Record<string, Record<string, unknown> | undefined>;
  switch (state) {
    case 'EnsureEndpointService':
    case 'CheckEndpointService': {
      const vendor = o.service?.vendor as { name?: string; endpointServiceId?: string; status?: string } | undefined;
      if (vendor?.name === 'atlas')
        return `atlas service ${vendor.endpointServiceId} ${vendor.status}${o.service?.serviceName ? ` → ${o.service.serviceName}` : ''}`;
      return `${o.service?.serviceId} (${o.service?.created ? 'ours' : 'existing'})`;
    }
    case 'CreateInterfaceEndpoint':
    case 'AcceptEndpointConnection':
    case 'CheckConsumerEndpoint':
      return `${o.endpoint?.endpointId} ${o.endpoint?.state}`;
    case 'WaitForConsumer':
      return `the other party reported ${o.consumerReport?.endpointId}`;
    case 'CheckEndpoint': {
      const atlas = o.vendorEndpoint?.connectionStatus;
      return `${o.endpoint?.state} (check ${o.endpoint?.polls})${atlas ? `, at Atlas ${atlas}` : ''}`;
    }
    case 'CheckConnectionStrings':
      return o.atlas?.ready
        ? 'Atlas gave the connection strings'
        : `cluster ${o.atlas?.clusterState ?? '?'}, no private connection string yet (read ${o.atlas?.polls})`;
    case 'UpsertDnsRecords': {
      const zones = (o.dns?.zones as { name: string }[] | undefined) ?? [];
      if (zones.length > 0) return `${zones.length} zone(s): ${zones.map((z) => z.name).join(', ')}`;
      return o.dns?.written === false
        ? "waiting for the endpoint's addresses: CheckEndpoint writes the records"
        : 'no private zone to write: the vendor publishes the names';
    }
    case 'Finalize':
    case 'FinalizeConsumer':
    case 'FinalizeAtlas':
      return 'READY';
    case 'Compensate':
      return o.undo?.done ? 'undo complete' : 'undo in progress';
    case 'RemoveResources': {
      const waiting = (o.removal?.waitingFor as string[] | undefined) ?? [];
      return waiting.length === 0 ? 'nothing left' : `waiting for ${waiting.join(', ')}`;
    }
    case 'PublishReady':
    case 'PublishFailed':
    case 'PublishCompensationFailed':
    case 'PublishDeleted':
      return `event on bus ${o.eventBus?.name ?? 'default'}`;
    case 'NotifySlackOfReady':
    case 'NotifySlackOfFailure':
      return 'result posted to Slack';
    default:
      return state.startsWith('NotifySlackOf') ? 'progress posted to Slack' : '';
  }
}

const seconds = (s: number) => (s < 10 ? `${Math.round(s * 10) / 10}s` : `${Math.round(s)}s`);

/** The lines telling who must act: the status, what to do, and a command on a line of its own. */
export function actionLines(status: string, actions: readonly Action[]): string[] {
  const lines: string[] = [];
  for (const action of actions) {
    lines.push(`${' '.repeat(11)}${status.padEnd(25)} ${action.what}`);
    if (action.command) lines.push(`${' '.repeat(13)}${action.command}`);
  }
  return lines;
}

/** Of a streak of identical polls (the same state and answer, only the check number moving), how many are shown in full. */
const SHOWN_POLLS = 6;
/** After those, every how-many-th poll is shown. */
const POLL_EVERY = 10;

/**
 * A progress printer for one run: give it every run event and the seconds since the start; it returns
 * the lines to print (none for most events). It remembers when a state failed, so a retry line shows
 * the pause that really passed (Step Functions' full jitter makes it shorter than the backoff); the
 * actions it last showed, so a wait polled many times is explained once; and the streak of identical
 * polls, so a day-long wait for a vendor prints a few lines rather than hundreds.
 */
export function progressPrinter(): (event: RunEvent, elapsedSeconds: number) => string[] {
  const failedAt = new Map<string, number>();
  let shownActions = '';
  const hintsShown = new Set<string>();
  let streak = { key: '', count: 0 };
  const quiet = () => streak.count > SHOWN_POLLS && streak.count % POLL_EVERY !== 0;
  return (event, elapsedSeconds) => {
    const at = `[${elapsedSeconds.toFixed(1).padStart(7)}s]`;
    const lines: string[] = [];
    switch (event.type) {
      case 'entered':
        if (event.stateType === 'Wait' && !quiet()) lines.push(`${at} ${event.state} ${event.waitSeconds ?? 0}s`);
        break;
      case 'exited': {
        if (event.stateType !== 'Task') break;
        const text = summary(event.state, event.output);
        const key = `${event.state}:${text.replace(/\d+/g, '#')}`;
        streak = key === streak.key ? { key, count: streak.count + 1 } : { key, count: 1 };
        if (!quiet()) lines.push(`${at} ${event.state.padEnd(25)} ${text}`);
        else if (streak.count === SHOWN_POLLS + 1)
          lines.push(`${' '.repeat(11)}… (the same answer again: every ${POLL_EVERY}th check shown)`);
        break;
      }
      case 'failed': {
        streak = { key: '', count: 0 };
        failedAt.set(event.state, elapsedSeconds);
        // A Fail state's cause is the result itself, printed next.
        if (event.stateType === 'Fail') break;
        const { code, message } = describeCaughtError({ Error: event.error, Cause: event.cause });
        const [first = '', ...hint] = explainFailure(code, message.split('\n')[0]?.slice(0, 200) ?? '').split('\n');
        lines.push(`${at} ${event.state.padEnd(25)} ${code}: ${first}`);
        // The explanation once per run: a retried call fails the same way many times.
        for (const h of hint.filter((h) => !hintsShown.has(h))) {
          hintsShown.add(h);
          lines.push(`${' '.repeat(37)}${h}`);
        }
        break;
      }
      case 'retried': {
        const since = failedAt.get(event.state);
        const paused = since === undefined ? event.pauseSeconds : Math.max(0, elapsedSeconds - since);
        const backoff =
          Math.abs(paused - event.pauseSeconds) < 0.05
            ? ''
            : ` (jittered; backoff up to ${seconds(event.pauseSeconds)})`;
        lines.push(`${at} ${event.state.padEnd(25)} retry ${event.attempt} after ${seconds(paused)}${backoff}`);
        break;
      }
    }
    const progress = progressOf(event);
    if (progress) {
      const key = JSON.stringify([progress.status, progress.actions]);
      if (progress.actions.length > 0 && key !== shownActions) {
        lines.push(...actionLines(progress.status, progress.actions));
        shownActions = key;
      }
    }
    return lines;
  };
}
