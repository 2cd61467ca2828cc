// Events out: the real workflows on the sandbox publish Private Endpoint Ready / Failed / Deleted
// (recorded in <stateDir>/events.jsonl by the local runner), each matching its schema in schemas/.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { eventLog, type RecordedEvent } from '../../src/core/app/event-log.ts';
import { localIntegrations } from '../../src/core/app/local-integrations.ts';
import { requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { validateAgainst } from '../support/json-schema.ts';

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

/** The result as the CLI prints it, without the sandbox's run statistics (not part of the detail). */
function withoutStats(result: ProvisionResult): ProvisionResult {
  const { stats: _stats, ...rest } = result;
  return rest;
}

const events = () => eventLog(sandbox.dir).read();

describe('a provisioning that ends READY', () => {
  it('publishes one Private Endpoint Ready on the default bus, detail = the result, matching its schema', async () => {
    const { code, result } = await sandbox.provision('atlas-replica-set.json');
    expect(code).toBe(0);
    const recorded = await events();
    expect(recorded).toHaveLength(1);
    const [{ eventBusName, event }] = recorded as [RecordedEvent];
    expect(eventBusName).toBe('default');
    expect(event).toMatchObject({ source: 'privatelink', 'detail-type': 'Private Endpoint Ready' });
    expect(event.detail).toEqual(withoutStats(result));
    expect(event.resources).toContain(
      'arn:aws:states:us-east-1:111122223333:execution:privatelink-provision:cluster0-app-prod',
    );
    expect(validateAgainst('private-endpoint-ready.json', event)).toEqual([]);
    // The schema is not a formality: the same event as Failed, or without its connection strings, fails it.
    expect(validateAgainst('private-endpoint-failed.json', event)).not.toEqual([]);
    const { connectionStrings: _strings, ...stripped } = event.detail as ProvisionResult;
    expect(validateAgainst('private-endpoint-ready.json', { ...event, detail: stripped })).toEqual([
      '$.detail: missing required "connectionStrings"',
    ]);
  });

  it('publishes on notify.eventBusName when the request names a bus', async () => {
    const request = { ...(await example('pinecone-index.json')), notify: { eventBusName: 'clusters' } };
    const { code } = await sandbox.provision(request);
    expect(code).toBe(0);
    expect((await events()).map((r) => r.eventBusName)).toEqual(['clusters']);
  });

  it('every example publishes a schema-valid Ready event', async () => {
    for (const name of ['atlas-serverless.json', 'pinecone-index.json', 'orders-nlb-tcp.json']) {
      const { code } = await sandbox.provision(name);
      expect(code, name).toBe(0);
    }
    const recorded = await events();
    expect(recorded).toHaveLength(3);
    for (const { event } of recorded) expect(validateAgainst('private-endpoint-ready.json', event)).toEqual([]);
  });
});

describe('a provisioning that fails', () => {
  it('publishes Private Endpoint Failed: the step, the AWS code and what was undone', async () => {
    const { code, result } = await sandbox.provision('orders-nlb-tcp.json', [
      '--fault',
      'CreateVpcEndpoint:VpcEndpointLimitExceeded',
    ]);
    expect(code).toBe(1);
    const [recorded, ...more] = await events();
    expect(more).toEqual([]);
    expect(recorded?.event['detail-type']).toBe('Private Endpoint Failed');
    expect(recorded?.event.detail).toEqual(withoutStats(result));
    expect(recorded?.event.detail).toMatchObject({
      status: 'FAILED',
      error: { code: 'VpcEndpointLimitExceeded', step: 'CreateInterfaceEndpoint' },
    });
    expect((recorded?.event.detail as ProvisionResult | undefined)?.undone?.join(' ')).toMatch(/endpoint service/);
    expect(validateAgainst('private-endpoint-failed.json', recorded?.event)).toEqual([]);
  });

  it('publishes Private Endpoint Failed (CompensationFailed) when undoing fails too', async () => {
    const { code } = await sandbox.provision('pinecone-index.json', [
      '--fault',
      'DescribeVpcEndpoints:UnauthorizedOperation',
    ]);
    expect(code).toBe(1);
    const [recorded] = await events();
    expect(recorded?.event.detail).toMatchObject({
      requestId: 'pinecone-my-index',
      status: 'FAILED',
      error: { code: 'CompensationFailed', step: 'Compensate' },
    });
    expect(validateAgainst('private-endpoint-failed.json', recorded?.event)).toEqual([]);
  });
});

describe('a teardown', () => {
  it('publishes Private Endpoint Deleted, detail = the DELETED result', async () => {
    await sandbox.provision('atlas-replica-set.json');
    const teardown = await sandbox.cli(['teardown', '--request-id', 'cluster0-app-prod', '--json']);
    expect(teardown.code, teardown.stderr).toBe(0);
    const deleted = await eventLog(sandbox.dir).read({ detailType: 'Private Endpoint Deleted' });
    expect(deleted).toHaveLength(1);
    expect(deleted[0]?.event.detail).toEqual(withoutStats(JSON.parse(teardown.stdout)));
    expect(validateAgainst('private-endpoint-deleted.json', deleted[0]?.event)).toEqual([]);
  });
});

describe('when publishing fails', () => {
  async function runWith(request: unknown, failing: string, faults: string[] = [], error = 'EventBridge.FailedEntry') {
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed, faults });
    try {
      const attempts: string[] = [];
      const outcome = await runWorkflow({
        workflow: 'provision',
        input: { request },
        executionName: 'publish-fails',
        ...(env.sandbox && { sandbox: env.sandbox }),
        localTasks: {
          ...localIntegrations(env, 'provision', 'publish-fails'),
          [failing]: async () => {
            attempts.push(failing);
            throw Object.assign(new Error('ThrottlingException: rate exceeded'), { name: error });
          },
        },
      });
      return { outcome, attempts };
    } finally {
      await env.close();
    }
  }

  it('a READY stays READY, with the result intact, after retrying', async () => {
    const request = requireProvisionRequest(await example('pinecone-index.json'));
    const { outcome, attempts } = await runWith(request, 'PublishReady');
    expect(outcome.status).toBe('SUCCEEDED');
    const output = (outcome as { output: ProvisionResult }).output;
    expect(output.status).toBe('READY');
    expect(output.connectionStrings?.url).toBe('https://my-index-abc1234.svc.private.aped-4627-b74a.pinecone.io');
    expect(attempts.length).toBe(4);
  });

  it('a FAILED stays the same FAILED result', async () => {
    const request = requireProvisionRequest(await example('pinecone-index.json'));
    const { outcome, attempts } = await runWith(request, 'PublishFailed', [
      'CreateVpcEndpoint:VpcEndpointLimitExceeded',
    ]);
    expect(attempts.length).toBe(4);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'VpcEndpointLimitExceeded' });
    const cause = JSON.parse((outcome as { cause: string }).cause) as ProvisionResult;
    expect(cause.error).toMatchObject({ step: 'CreateInterfaceEndpoint', code: 'VpcEndpointLimitExceeded' });
  });

  it('a Slack post that keeps failing leaves the READY result as it is', async () => {
    const request = requireProvisionRequest({
      ...(await example('pinecone-index.json')),
      notify: { slackResponseUrl: 'https://hooks.slack.com/commands/T0001/2002/xyzzy' },
    });
    const { outcome, attempts } = await runWith(request, 'NotifySlackOfReady', [], 'SlackUnavailableError');
    expect(outcome.status).toBe('SUCCEEDED');
    expect((outcome as { output: ProvisionResult }).output.status).toBe('READY');
    expect(attempts.length).toBe(3);
  });
});
