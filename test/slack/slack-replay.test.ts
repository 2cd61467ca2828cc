// A signed Slack request replayed within the five-minute signing window is answered once: by one
// handler, by handlers sharing a state directory (FileReplayStore, as `serve` processes do), and
// when the copies arrive at once. A request signed anew (another timestamp) is a new request.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../src/core/app/http-event.ts';
import type { WorkflowPort } from '../../src/core/app/workflow-port.ts';
import type { ProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { handleSlackCommand, type SlackDeps } from '../../src/slack/commands.ts';
import { SLACK_PROFILES } from '../../src/slack/profiles.ts';
import { FileReplayStore, MemoryReplayStore, type ReplayStore } from '../../src/slack/replay.ts';

import { signedSlashCommand } from '../support/slack-command-event.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = Date.UTC(2026, 0, 1, 12);

function signed(text: string, timestamp = Math.floor(NOW / 1000)): HttpEvent {
  return signedSlashCommand(SECRET, text, timestamp);
}

/** A port that counts what it was asked to do; the request exists until torn down. */
function countingPort() {
  const calls = { provision: [] as ProvisionRequest[], teardown: [] as string[] };
  const results: Record<string, ProvisionResult> = {};
  const port: WorkflowPort = {
    async startProvision(request) {
      calls.provision.push(request);
      results[request.requestId] = { requestId: request.requestId, status: 'PROVISIONING' };
      return { started: true, result: { requestId: request.requestId, status: 'PROVISIONING' } };
    },
    getResult: async (id) => results[id],
    listResults: async () => ({ items: Object.values(results) }),
    async startTeardown(id) {
      calls.teardown.push(id);
      return { requestId: id, status: 'DELETING' };
    },
    finalize: async () => {},
  };
  return { port, calls };
}

const depsOf = (workflows: WorkflowPort, replays: ReplayStore | undefined, nowMs = NOW): SlackDeps => ({
  workflows,
  signingSecret: async () => SECRET,
  profiles: SLACK_PROFILES,
  post: async () => {},
  now: () => nowMs,
  ...(replays && { replays }),
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-slack-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Slack replays', () => {
  it('a replayed delete is answered once, a minute later too; the replay gets 401 and tears nothing down', async () => {
    const { port, calls } = countingPort();
    const replays = new FileReplayStore(dir);
    const request = signed('delete cluster0-app-prod');
    const first = await handleSlackCommand(request, depsOf(port, replays));
    const again = await handleSlackCommand(request, depsOf(port, replays, NOW + 60_000));
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(401);
    expect(JSON.parse(again.body).error.message).toMatch(/received already; a replay is not answered again/);
    expect(calls.teardown).toEqual(['cluster0-app-prod']);
  });

  it('10 copies of one signed provision at once, over two stores on one state directory: 1 answered, 9 refused', async () => {
    const { port, calls } = countingPort();
    // two stores on one directory: two `serve` processes
    const stores = [new FileReplayStore(dir), new FileReplayStore(dir)];
    const request = signed('provision atlas-replica-set orders-1');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => handleSlackCommand(request, depsOf(port, stores[i % 2]))),
    );
    const codes = responses.map((r) => r.statusCode);
    console.log(
      `slack replay: ${codes.filter((c) => c === 200).length}/1 answered, ${codes.filter((c) => c === 401).length}/9 replays refused`,
    );
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 401)).toHaveLength(9);
    expect(calls.provision.map((r) => r.requestId)).toEqual(['orders-1']);
  });

  it('the same command signed anew (another timestamp) is a new request', async () => {
    const { port, calls } = countingPort();
    const replays = new MemoryReplayStore();
    const at = Math.floor(NOW / 1000);
    await handleSlackCommand(signed('delete a-1', at), depsOf(port, replays));
    await handleSlackCommand(signed('delete a-1', at + 1), depsOf(port, replays));
    expect(calls.teardown).toEqual(['a-1', 'a-1']);
  });

  it('deps without a store remember in memory: one handler (a server, a container) answers a replay once', async () => {
    const { port, calls } = countingPort();
    const deps = depsOf(port, undefined);
    const request = signed('delete b-1');
    const codes = [
      (await handleSlackCommand(request, deps)).statusCode,
      (await handleSlackCommand(request, deps)).statusCode,
    ];
    expect(codes).toEqual([200, 401]);
    expect(calls.teardown).toEqual(['b-1']);
  });

  it('unsigned and tampered requests claim nothing; the store forgets what can no longer verify', async () => {
    const { port } = countingPort();
    const replays = new FileReplayStore(dir);
    const good = signed('help');
    const tampered = { ...good, headers: { ...good.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } };
    expect((await handleSlackCommand(tampered, depsOf(port, replays))).statusCode).toBe(401);
    await expect(readFile(replays.path, 'utf8')).rejects.toThrow(/ENOENT/);
    expect((await handleSlackCommand(good, depsOf(port, replays))).statusCode).toBe(200);
    expect(Object.keys(JSON.parse(await readFile(replays.path, 'utf8')).seen)).toHaveLength(1);
    // six minutes on, that request is stale (refused by its timestamp) and no longer remembered
    const later = NOW + 6 * 60_000;
    expect(
      (await handleSlackCommand(signed('help', Math.floor(later / 1000)), depsOf(port, replays, later))).statusCode,
    ).toBe(200);
    expect(Object.keys(JSON.parse(await readFile(replays.path, 'utf8')).seen)).toHaveLength(1);
  });
});
