// Replayed Slack requests. A signature proves who sent a request, not that it is new: anyone who saw
// one signed request may send it again for five minutes (the window signature.ts allows). Each
// (timestamp, signature) is therefore answered once; a store remembers the ones seen for as long as
// they would verify. Locally the store is a file in the state directory, shared by processes; in
// AWS it would be a DynamoDB table with a conditional put and a TTL (see ReplayStore).
import { join } from 'node:path';
import { SharedJsonFile } from '../core/sandbox/shared-state.ts';
import { MAX_SKEW_SECONDS } from './signature.ts';

export interface SignedRequestKey {
  timestamp: string;
  signature: string;
}

/**
 * Where seen requests are remembered. `claim` must be atomic (of concurrent claims of one key, one
 * is true), e.g. DynamoDB `PutItem` with `ConditionExpression: attribute_not_exists(pk)` and a TTL
 * attribute at `expiresAtSeconds`.
 */
export interface ReplayStore {
  /** true the first time `key` is claimed; false for every later claim until `expiresAtSeconds` */
  claim(key: SignedRequestKey, expiresAtSeconds: number, nowSeconds: number): Promise<boolean>;
}

const keyOf = ({ timestamp, signature }: SignedRequestKey) => `${timestamp}:${signature}`;

/** Until when a request signed at `timestamp` still verifies (and so must be remembered). */
export function replayWindowEnd(timestamp: string): number {
  return Number(timestamp) + MAX_SKEW_SECONDS;
}

/** In one process (a Lambda container, a test): forgets what it saw when the process ends. */
export class MemoryReplayStore implements ReplayStore {
  private readonly seen = new Map<string, number>();

  async claim(key: SignedRequestKey, expiresAtSeconds: number, nowSeconds: number): Promise<boolean> {
    for (const [k, until] of this.seen) if (until < nowSeconds) this.seen.delete(k);
    if (this.seen.has(keyOf(key))) return false;
    this.seen.set(keyOf(key), expiresAtSeconds);
    return true;
  }
}

interface SeenFile {
  /** key → epoch seconds until which it is remembered */
  seen: Record<string, number>;
}

export const SLACK_SEEN_FILE = 'slack-seen.json';

/** In `<stateDir>/slack-seen.json`, claimed under its lock: shared by every process on the state directory. */
export class FileReplayStore implements ReplayStore {
  private readonly file: SharedJsonFile<SeenFile>;

  constructor(stateDir: string) {
    this.file = new SharedJsonFile<SeenFile>(stateDir, SLACK_SEEN_FILE, { pretty: false });
  }

  get path(): string {
    return join(this.file.dir, this.file.name);
  }

  async claim(key: SignedRequestKey, expiresAtSeconds: number, nowSeconds: number): Promise<boolean> {
    let first = false;
    await this.file.update((current) => {
      const seen = Object.fromEntries(
        Object.entries(current?.data.seen ?? {}).filter(([, until]) => until >= nowSeconds),
      );
      if (Object.hasOwn(seen, keyOf(key))) return undefined;
      first = true;
      seen[keyOf(key)] = expiresAtSeconds;
      return { seen };
    });
    return first;
  }
}

export function fileReplayStore(stateDir: string): FileReplayStore {
  return new FileReplayStore(stateDir);
}
