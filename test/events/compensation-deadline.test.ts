// The undo has a deadline: an endpoint that keeps deleting (here for longer than the 30 minutes the
// undo waits) does not hold the workflow. The undo stops, and the FAILED result and its Failed event say
// what was undone and what remains, by id, matching the account; a later teardown removes the rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventLog } from '../../src/core/app/event-log.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { COMPENSATION_DEADLINE_SECONDS, resultOfUndoFailure } from '../../src/core/steps/compensate.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { validateAgainst } from '../support/json-schema.ts';

describe('compensation past its deadline', () => {
  let sandbox: SandboxDir;
  beforeEach(async () => {
    // endpoints take three hours to be deleted: far past the undo's deadline
    sandbox = await sandboxDir({ endpointDeletedAfterSeconds: 3 * 60 * 60 });
  });
  afterEach(async () => {
    await sandbox.cleanup();
  });

  it('ends FAILED with the first error, what was undone, and the endpoint and service under remaining', async () => {
    const request = { ...(await example('orders-nlb-tcp.json')), requestId: 'orders-slow-undo' };
    const run = await sandbox.provision(request, ['--fault', 'endpoint:failed']);
    const result = run.result;
    expect(run.code).toBe(1);
    expect(result.status).toBe('FAILED');
    expect(result.error?.code).toBe('EndpointFailed');
    const inventory = await sandbox.inventory();
    const endpoint = inventory.endpoints.find((e) => e.tags['privatelink:request-id'] === 'orders-slow-undo');
    const service = inventory.endpointServices.find((s) => s.tags['privatelink:request-id'] === 'orders-slow-undo');
    expect(endpoint?.state).toBe('deleting');
    expect(service).toBeDefined();
    // what remains is named by id, exactly what the account still holds of the request
    const remaining = result.remaining ?? [];
    expect(remaining.some((r) => r.includes(endpoint?.endpointId ?? 'none'))).toBe(true);
    expect(remaining.some((r) => r.includes(service?.serviceId ?? 'none'))).toBe(true);
    expect(result.undone?.some((u) => u.includes(endpoint?.endpointId ?? 'none'))).toBe(true);
    expect(result.kept?.join(' ')).toContain(`deadline (${COMPENSATION_DEADLINE_SECONDS} s)`);
    expect(result.kept?.join(' ')).toContain('privatelink teardown --request-id orders-slow-undo');
    // the run stopped near the deadline, not when the endpoint was finally gone
    expect(result.stats?.simulatedSeconds ?? 0).toBeLessThan(3 * 60 * 60);
    expect(result.stats?.simulatedSeconds ?? 0).toBeGreaterThan(COMPENSATION_DEADLINE_SECONDS);

    const failed = await eventLog(sandbox.dir).read({
      requestId: 'orders-slow-undo',
      detailType: 'Private Endpoint Failed',
    });
    expect(failed).toHaveLength(1);
    expect(validateAgainst('private-endpoint-failed.json', failed[0]?.event)).toEqual([]);
    expect((failed[0]?.event.detail as ProvisionResult | undefined)?.remaining).toEqual(remaining);
  });
});

describe('an undo pass that itself fails or times out (CompensationFailed)', () => {
  const state = (undo?: object) =>
    JSON.stringify({
      request: { requestId: 'orders-db-app' },
      failed: {
        CheckEndpoint: { Error: 'EndpointStateError', Cause: 'EndpointFailed: endpoint went to state failed' },
      },
      undoFailure: { Error: 'States.Timeout', Cause: 'the task timed out' },
      ...(undo && { undo }),
    });

  it('lists under remaining what the last finished pass left going away', () => {
    const result = resultOfUndoFailure(
      state({
        undone: ['deleted interface endpoint vpce-0123456789abcdef0'],
        passes: 3,
        deadlineAt: 0,
        waitingFor: [
          'endpoint vpce-0123456789abcdef0 to be deleted',
          'endpoint service vpce-svc-0123456789abcdef0 to have no endpoints',
        ],
      }),
    );
    expect(result).toMatchObject({
      requestId: 'orders-db-app',
      status: 'FAILED',
      error: { code: 'EndpointFailed', step: 'CheckEndpoint' },
      undone: ['deleted interface endpoint vpce-0123456789abcdef0'],
      remaining: [
        'endpoint vpce-0123456789abcdef0 to be deleted',
        'endpoint service vpce-svc-0123456789abcdef0 to have no endpoints',
      ],
    });
    expect(result?.kept?.join(' ')).toMatch(/undo stopped at States.Timeout.*remaining.*run teardown/);
  });

  it('without a finished pass it lists nothing it does not know, and says to run teardown', () => {
    const result = resultOfUndoFailure(state());
    expect(result?.remaining).toBeUndefined();
    expect(result?.undone).toEqual([]);
    expect(result?.kept?.join(' ')).toMatch(/undo stopped at States.Timeout.*may remain, run teardown/);
  });
});
