// Events in: the rule's input transformer (deploy/cluster-created-input.json, the same file serverless.yml
// uses) turns a Cluster Created event into the provisioning input; repeats of one event converge.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import { eventLog } from '../../src/core/app/event-log.ts';
import { localIntegrations } from '../../src/core/app/local-integrations.ts';
import { parseProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { clusterCreatedEvent, clusterCreatedTransformer, transformInput } from '../support/input-transformer.ts';
import { validateAgainst } from '../support/json-schema.ts';

const transformer = clusterCreatedTransformer;

async function clusterCreated(detail: Record<string, unknown>) {
  return clusterCreatedEvent(detail);
}

async function atlasDetail(): Promise<Record<string, unknown>> {
  const { requestId: _omitted, ...detail } = await example('atlas-replica-set.json');
  return detail;
}

describe('the Cluster Created event', () => {
  it('matches schemas/cluster-created.json, and a detail with an unknown field does not', async () => {
    const event = await clusterCreated(await atlasDetail());
    expect(validateAgainst('cluster-created.json', event)).toEqual([]);
    for (const name of ['atlas-serverless.json', 'pinecone-index.json', 'orders-nlb-tcp.json'])
      expect(validateAgainst('cluster-created.json', await clusterCreated(await example(name))), name).toEqual([]);
    const typo = await clusterCreated({ ...(await atlasDetail()), regoin: 'us-east-1' });
    expect(validateAgainst('cluster-created.json', typo)).toContain('$.detail.regoin: no value is allowed here');
  });

  it('becomes { request, event } through the input transformer, and the request parses', async () => {
    const event = await clusterCreated(await atlasDetail());
    const input = JSON.parse(transformInput(transformer, event));
    expect(Object.keys(input).sort()).toEqual(['event', 'request']);
    expect(input.event).toEqual({
      id: event.id,
      source: 'acme.clusters',
      detailType: 'Cluster Created',
      time: '2026-01-01T00:00:00Z',
    });
    expect(input.request).toEqual(event.detail);
    const parsed = parseProvisionRequest(input.request);
    expect(parsed.ok && parsed.request.target?.host).toBe('pl-0-us-east-1-k45tj.mongodb.net');
  });

  it('a detail that is not a valid request parses to field errors, as the workflow reports them', async () => {
    const input = JSON.parse(transformInput(transformer, await clusterCreated({ region: 'us-east-1' })));
    const parsed = parseProvisionRequest(input.request);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path)).toContain('consumer');
  });
});

describe('started by the rule (the transformed input on the sandbox)', () => {
  let sandbox: SandboxDir;
  let env: Environment;
  beforeEach(async () => {
    sandbox = await sandboxDir();
    env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  });
  afterEach(async () => {
    await env.close();
    await sandbox.cleanup();
  });

  /** One execution as EventBridge starts it: a generated execution name, the transformed input. */
  async function deliver(event: unknown): Promise<ProvisionResult> {
    const executionName = randomUUID();
    const outcome = await runWorkflow({
      workflow: 'provision',
      input: JSON.parse(transformInput(transformer, event)),
      executionName,
      ...(env.sandbox && { sandbox: env.sandbox }),
      afterTask: () => env.save(),
      localTasks: localIntegrations(env, 'provision', executionName),
    });
    expect(outcome.status).toBe('SUCCEEDED');
    return (outcome as { output: ProvisionResult }).output;
  }

  it('the request id is the event id, and a repeated delivery converges on the same endpoint', async () => {
    const event = await clusterCreated(await atlasDetail());
    const first = await deliver(event);
    const second = await deliver(event);
    expect(first.status).toBe('READY');
    expect(first.requestId).toBe(event.id);
    expect(second.requestId).toBe(event.id);
    expect(second.endpoint?.endpointId).toBe(first.endpoint?.endpointId);
    expect(env.sandbox?.inventory().endpoints).toHaveLength(1);
    const ready = await eventLog(env.stateDir).read({ detailType: 'Private Endpoint Ready' });
    expect(ready.map((r) => (r.event.detail as ProvisionResult).requestId)).toEqual([event.id, event.id]);
  });

  it("a detail's own requestId wins over the event id", async () => {
    const event = await clusterCreated({ ...(await atlasDetail()), requestId: 'cluster0-from-event' });
    expect((await deliver(event)).requestId).toBe('cluster0-from-event');
  });
});
