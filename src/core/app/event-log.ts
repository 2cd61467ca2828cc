// The events the workflows publish (`Private Endpoint Ready/Failed/Deleted`), as EventBridge delivers
// them. In AWS the PublishReady/PublishFailed/PublishDeleted states call events:putEvents; locally the
// runner binds those states here, and each event becomes a line of `<stateDir>/events.jsonl`, so a
// `serve` or CLI user can watch them (`tail -f .privatelink/events.jsonl | jq .event`) and tests read them.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** An event as EventBridge delivers it to a rule's target. */
export interface EventBridgeEvent<D = unknown> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

/** One line of events.jsonl: the event and the bus it was put on. */
export interface RecordedEvent<D = unknown> {
  eventBusName: string;
  event: EventBridgeEvent<D>;
}

/** One entry of a putEvents state's Parameters (Step Functions accepts Detail as a JSON object). */
export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
}

export interface PutContext {
  account: string;
  region: string;
  /** epoch ms: the sandbox clock, so event times follow the simulated run */
  now: number;
  /** appended to every entry's resources, as the optimized integration appends the execution's ARNs */
  resources: string[];
}

export const EVENTS_FILE = 'events.jsonl';

/** EventBridge's time format: ISO 8601 to the second. */
const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function toEvent(entry: PutEventsEntry, context: PutContext): RecordedEvent {
  const { Source, DetailType, Detail } = entry;
  if (typeof Source !== 'string' || typeof DetailType !== 'string')
    throw new Error('a putEvents entry needs Source and DetailType');
  const detail = typeof Detail === 'string' ? (JSON.parse(Detail) as unknown) : Detail;
  if (!detail || typeof detail !== 'object' || Array.isArray(detail))
    throw new Error('a putEvents entry needs Detail, a JSON object');
  const resources = Array.isArray(entry.Resources) ? entry.Resources.map(String) : [];
  return {
    eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': DetailType,
      source: Source,
      account: context.account,
      time: eventTime(context.now),
      region: context.region,
      resources: [...resources, ...context.resources],
      detail,
    },
  };
}

export class EventLog {
  constructor(private readonly stateDir: string) {}

  get path(): string {
    return join(this.stateDir, EVENTS_FILE);
  }

  /** Records a putEvents call's entries; answers as PutEvents does. */
  async put(
    entries: PutEventsEntry[],
    context: PutContext,
  ): Promise<{ Entries: { EventId: string }[]; FailedEntryCount: 0 }> {
    const recorded = entries.map((entry) => toEvent(entry, context));
    await mkdir(this.stateDir, { recursive: true });
    await appendFile(this.path, recorded.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return { Entries: recorded.map((r) => ({ EventId: r.event.id })), FailedEntryCount: 0 };
  }

  /** Every event recorded so far, oldest first; `requestId` keeps those whose detail names it. */
  async read(filter: { requestId?: string; detailType?: string } = {}): Promise<RecordedEvent[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as RecordedEvent)
      .filter(
        (r) =>
          (filter.requestId === undefined ||
            (r.event.detail as { requestId?: unknown } | null)?.requestId === filter.requestId) &&
          (filter.detailType === undefined || r.event['detail-type'] === filter.detailType),
      );
  }
}

/** The events recorded in a state directory (the sandbox's, or `<dir>/aws` for --aws runs). */
export function eventLog(stateDir: string): EventLog {
  return new EventLog(stateDir);
}
