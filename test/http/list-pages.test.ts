// GET /endpoints' page reading: mapBounded's limit and isolation, and the local port reporting one
// result it cannot read (a half-written record) beside the others, in the shape docs/openapi.json gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/core/app/environment.ts';
import type { ExecutionRecord } from '../../src/core/runner/execution-store.ts';
import { mapBounded } from '../../src/http/bounded.ts';
import { localWorkflows } from '../../src/http/local-workflows.ts';
import { validate } from '../support/json-schema.ts';

const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('mapBounded', () => {
  it('keeps at most `limit` calls in flight, answers in input order, and isolates a failure', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 8 - n));
      inFlight--;
      if (n === 4) throw new Error('four');
      return n * 10;
    });
    expect(most).toBe(3);
    expect(out.map((o) => (o.status === 'fulfilled' ? o.value : `rejected: ${(o.reason as Error).message}`))).toEqual([
      10,
      20,
      30,
      'rejected: four',
      50,
      60,
      70,
    ]);
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
    await expect(mapBounded([1], 0, async () => 1)).rejects.toThrow(/positive integer/);
  });
});

describe('the local port listing', () => {
  it('lists every readable result and reports the one whose record does not parse', async () => {
    const record = (requestId: string): ExecutionRecord => ({
      workflow: 'provision',
      requestId,
      executionName: requestId,
      requestHash: 'h',
      input: {},
      status: 'SUCCEEDED',
      startedAt: '2026-01-01T00:00:00.000Z',
      output: { requestId, status: 'READY' },
    });
    const records = ['a-1', 'b-2', 'c-3'].map(record);
    const store = {
      list: async (workflow: string) => (workflow === 'provision' ? records : []),
      get: async (workflow: string, requestId: string) => {
        if (workflow === 'teardown' && requestId === 'b-2') throw new SyntaxError('Unexpected end of JSON input');
        return workflow === 'provision' ? records.find((r) => r.requestId === requestId) : undefined;
      },
      put: async () => {},
    };
    const env = {
      kind: 'aws',
      stateDir: '/nonexistent/privatelink-list-test',
      store,
      save: async () => {},
      close: async () => {},
    } as unknown as Environment;
    const logged: unknown[] = [];
    const page = await localWorkflows(env, (error) => logged.push(error)).listResults({ limit: 10 });
    expect(page).toEqual({
      items: [
        { requestId: 'a-1', status: 'READY' },
        { requestId: 'c-3', status: 'READY' },
      ],
      unreadable: [
        {
          requestId: 'b-2',
          error: {
            code: 'Unreadable',
            message: 'the result could not be read just now; GET /endpoints/b-2 tries again',
          },
        },
      ],
    });
    expect(logged).toEqual([expect.any(SyntaxError)]);
    expect(validate(page, { $ref: '#/components/schemas/ResultPage' }, doc)).toEqual([]);
  });
});
