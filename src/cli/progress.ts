// Human progress lines on stderr, one per step, with the (simulated) time since the start.
import { describeCaughtError } from '../core/errors.ts';
import type { RunEvent } from '../core/runner/local-runner.ts';

function summary(state: string, output: unknown): string {
  const o = (output ?? {}) as Record<string, Record<string, unknown> | undefined>;
  switch (state) {
    case 'EnsureEndpointService':
      return `${o.service?.serviceId} (${o.service?.created ? 'ours' : 'existing'})`;
    case 'CreateInterfaceEndpoint':
    case 'AcceptEndpointConnection':
      return `${o.endpoint?.endpointId} ${o.endpoint?.state}`;
    case 'CheckEndpoint':
      return `${o.endpoint?.state} (check ${o.endpoint?.polls})`;
    case 'UpsertDnsRecords': {
      const zones = (o.dns?.zones as { name: string }[] | undefined) ?? [];
      return `${zones.length} zone(s): ${zones.map((z) => z.name).join(', ')}`;
    }
    case 'CheckDnsChange':
      return o.dns?.insync ? 'INSYNC' : 'PENDING';
    case 'Finalize':
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
    case 'NotifySlackOfEndpointCreated':
    case 'NotifySlackOfDnsWritten':
    case 'NotifySlackOfWaitingForConsumer':
      return 'progress posted to Slack';
    default:
      return '';
  }
}

export function progressLine(event: RunEvent, elapsedSeconds: number): string | undefined {
  const at = `[${elapsedSeconds.toFixed(1).padStart(7)}s]`;
  switch (event.type) {
    case 'entered':
      return event.stateType === 'Wait' ? `${at} ${event.state} ${event.waitSeconds ?? 0}s` : undefined;
    case 'exited':
      return event.stateType === 'Task'
        ? `${at} ${event.state.padEnd(25)} ${summary(event.state, event.output)}`
        : undefined;
    case 'failed': {
      // A Fail state's cause is the result itself, printed next.
      if (event.stateType === 'Fail') return undefined;
      const { code, message } = describeCaughtError({ Error: event.error, Cause: event.cause });
      return `${at} ${event.state.padEnd(25)} ${code}: ${message.split('\n')[0]?.slice(0, 200)}`;
    }
    case 'retried':
      return `${at} ${event.state.padEnd(25)} retry ${event.attempt} after ${event.pauseSeconds}s`;
  }
}
