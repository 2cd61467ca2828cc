// Private Endpoint Failed on every terminal path: the decisions (published by the workflow already, or
// not), the Lambda on Step Functions' status changes against aws-sdk-client-mock, and the local runner,
// which publishes the same event into the event log for a timed-out run and a failed teardown.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/publish-terminal-failure.ts';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import { eventLog } from '../../src/core/app/event-log.ts';
import { localIntegrations } from '../../src/core/app/local-integrations.ts';
import {
  publishedByWorkflow,
  type StatusChangeOutcome,
  type TerminalExecution,
  terminalFailureResult,
} from '../../src/core/app/terminal-failure.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { logger } from '../../src/core/observability.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { validateAgainst } from '../support/json-schema.ts';

const PROVISION = 'arn:aws:states:us-east-1:111122223333:stateMachine:privatelink-provision-dev';
const TEARDOWN = 'arn:aws:states:us-east-1:111122223333:stateMachine:privatelink-teardown-dev';
const execution = (machine: string, name: string) => `${machine.replace(':stateMachine:', ':execution:')}:${name}`;

const failedResult = (requestId: string) =>
  JSON.stringify({
    requestId,
    status: 'FAILED',
    error: { code: 'InvalidSubnetID.NotFound', step: 'CreateInterfaceEndpoint', message: 'no subnet' },
    undone: [],
  });

const input = (requestId: string, notify?: object) =>
  JSON.stringify({ request: { requestId, region: 'us-east-1', ...(notify && { notify }) } });

/** As EventBridge delivers a status change of one of our executions. */
function statusChange(detail: Record<string, unknown>) {
  return {
    version: '0',
    id: 'e2b4c8a0-0000-4000-8000-000000000001',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '111122223333',
    time: '2026-01-09T00:00:00Z',
    region: 'us-east-1',
    resources: [detail.executionArn],
    detail: { startDate: 1767225600000, stopDate: 1767916800000, ...detail },
  };
}

/** A published entry as the event a consumer receives, for the schema. */
function delivered(entry: { Source?: string; DetailType?: string; Detail?: string }) {
  return {
    version: '0',
    id: '6f1e0000-0000-4000-8000-000000000002',
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '111122223333',
    time: '2026-01-09T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: JSON.parse(entry.Detail ?? '{}'),
  };
}

describe('whether the workflow published Private Endpoint Failed itself', () => {
  const base: TerminalExecution = {
    workflow: 'provision',
    name: 'orders',
    status: 'FAILED',
    input: { request: { requestId: 'orders' } },
  };

  it('yes after ProvisioningFailed (the FAILED result as Cause) and CompensationFailed of a request with an id', () => {
    expect(publishedByWorkflow({ ...base, error: 'InvalidSubnetID.NotFound', cause: failedResult('orders') })).toBe(
      true,
    );
    expect(publishedByWorkflow({ ...base, error: 'CompensationFailed', cause: '{"request":{}}' })).toBe(true);
    expect(terminalFailureResult({ ...base, error: 'CompensationFailed', cause: '{}' })).toBeUndefined();
  });

  it('no for a timeout, a stop, States.Runtime, CompensationFailed without a request id, any teardown failure', () => {
    expect(publishedByWorkflow({ ...base, status: 'TIMED_OUT' })).toBe(false);
    expect(publishedByWorkflow({ ...base, status: 'ABORTED' })).toBe(false);
    expect(publishedByWorkflow({ ...base, error: 'States.Runtime', cause: 'JSONPath $.x could not be found' })).toBe(
      false,
    );
    expect(publishedByWorkflow({ ...base, error: 'CompensationFailed', input: { request: {} } })).toBe(false);
    // a Cause that is JSON but not our result (Lambda's own error shape)
    expect(publishedByWorkflow({ ...base, error: 'Lambda.Unknown', cause: '{"errorMessage":"x"}' })).toBe(false);
    expect(
      publishedByWorkflow({
        ...base,
        workflow: 'teardown',
        error: 'RemovalFailedError',
        cause: failedResult('orders'),
      }),
    ).toBe(false);
  });

  it('a timeout names the request, the status and the cause, and says that nothing was undone', () => {
    const result = terminalFailureResult({ ...base, status: 'TIMED_OUT', cause: 'after 691200 s' });
    expect(result).toMatchObject({
      requestId: 'orders',
      status: 'FAILED',
      error: { code: 'ExecutionTimedOut', step: 'Execution' },
      undone: [],
    });
    expect(result?.error?.message).toContain('the provision execution orders timed out');
    expect(result?.error?.message).toContain('after 691200 s');
    expect(result?.kept?.join(' ')).toContain('privatelink teardown --request-id orders');
  });

  it("a failed teardown reads as GET reads it: the handler's code from its message", () => {
    const result = terminalFailureResult({
      workflow: 'teardown',
      name: 'orders-teardown',
      status: 'FAILED',
      error: 'RemovalFailedError',
      cause: 'UnauthorizedOperation: not allowed; undone: nothing; remaining: endpoint vpce-0123456789abcdef0',
    });
    expect(result?.requestId).toBe('orders');
    expect(result?.error?.code).toBe('UnauthorizedOperation');
    expect(result?.error?.message).toContain('remaining: endpoint vpce-0123456789abcdef0');
  });
});

describe('functions/publish-terminal-failure.ts (the rule on status changes)', () => {
  const eventsMock = mockClient(EventBridgeClient);
  const run = (event: unknown) => handler(event) as Promise<StatusChangeOutcome>;
  beforeEach(() => {
    eventsMock.reset();
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    vi.stubEnv('PROVISION_STATE_MACHINE_ARN', PROVISION);
    vi.stubEnv('TEARDOWN_STATE_MACHINE_ARN', TEARDOWN);
    vi.stubEnv('PRIVATELINK_EVENT_BUS_NAME', 'platform');
    for (const level of ['info', 'warn'] as const) vi.spyOn(logger, level).mockImplementation(() => {});
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('a TIMED_OUT provisioning: one Private Endpoint Failed on the request bus, valid against its schema', async () => {
    const arn = execution(PROVISION, 'orders-db');
    const outcome = await run(
      statusChange({
        executionArn: arn,
        stateMachineArn: PROVISION,
        name: 'orders-db',
        status: 'TIMED_OUT',
        input: input('orders-db', { eventBusName: 'platform' }),
        error: 'States.Timeout',
        cause: null,
      }),
    );
    expect(outcome).toEqual({
      kind: 'published',
      requestId: 'orders-db',
      status: 'TIMED_OUT',
      eventBusName: 'platform',
    });
    const calls = eventsMock.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]?.args[0].input.Entries ?? [];
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      Source: 'privatelink',
      DetailType: 'Private Endpoint Failed',
      EventBusName: 'platform',
      Resources: [PROVISION, arn],
    });
    expect(validateAgainst('private-endpoint-failed.json', delivered(entry ?? {}))).toEqual([]);
    expect(JSON.parse(entry?.Detail ?? '{}').error.code).toBe('ExecutionTimedOut');
  });

  it('an ABORTED execution whose input the event left out (too large): the request id is the name', async () => {
    await run(
      statusChange({
        executionArn: execution(PROVISION, 'big-request'),
        stateMachineArn: PROVISION,
        name: 'big-request',
        status: 'ABORTED',
        input: null,
        inputDetails: { included: false },
      }),
    );
    const entry = eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.EventBusName).toBe('default');
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({
      requestId: 'big-request',
      error: { code: 'ExecutionAborted' },
    });
  });

  it('FAILED by States.Runtime (no Catch handles it) publishes; FAILED through ProvisioningFailed does not', async () => {
    const common = { executionArn: execution(PROVISION, 'orders'), stateMachineArn: PROVISION, name: 'orders' };
    const skipped = await run(
      statusChange({
        ...common,
        status: 'FAILED',
        input: input('orders'),
        error: 'InvalidSubnetID.NotFound',
        cause: failedResult('orders'),
      }),
    );
    expect(skipped).toEqual({ kind: 'skipped', reason: 'published by the workflow', requestId: 'orders' });
    expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    await run(
      statusChange({
        ...common,
        status: 'FAILED',
        input: input('orders'),
        error: 'States.Runtime',
        cause: "An error occurred while executing the state 'DescribeUndoFailure'",
      }),
    );
    const detail = JSON.parse(eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '{}');
    expect(detail).toMatchObject({
      requestId: 'orders',
      status: 'FAILED',
      error: { code: 'States.Runtime', step: 'Execution' },
    });
  });

  it('a failed teardown publishes, naming the request (the execution is <id>-teardown)', async () => {
    await run(
      statusChange({
        executionArn: execution(TEARDOWN, 'orders-teardown'),
        stateMachineArn: TEARDOWN,
        name: 'orders-teardown',
        status: 'FAILED',
        input: null,
        error: 'RemovalTimeoutError',
        cause: 'TeardownDeadlineExceeded: still waiting for endpoint vpce-0123456789abcdef0 after 40 passes',
      }),
    );
    const detail = JSON.parse(eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '{}');
    expect(detail).toMatchObject({ requestId: 'orders', error: { code: 'TeardownDeadlineExceeded' } });
  });

  it("another state machine's change, a success, or a bus we may not use: nothing is put", async () => {
    const other = 'arn:aws:states:us-east-1:111122223333:stateMachine:someone-else';
    expect((await run(statusChange({ stateMachineArn: other, name: 'x', status: 'FAILED' }))).kind).toBe('skipped');
    expect((await run(statusChange({ stateMachineArn: PROVISION, name: 'x', status: 'SUCCEEDED' }))).kind).toBe(
      'skipped',
    );
    const elsewhere = await run(
      statusChange({
        stateMachineArn: PROVISION,
        name: 'x',
        status: 'TIMED_OUT',
        input: input('x', { eventBusName: 'elsewhere' }),
      }),
    );
    expect(elsewhere).toEqual({ kind: 'skipped', reason: 'bus not permitted', requestId: 'x' });
    expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('a failed put fails the invocation, so Lambda retries it', async () => {
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(
      run(statusChange({ stateMachineArn: PROVISION, name: 'orders', status: 'ABORTED', input: input('orders') })),
    ).rejects.toMatchObject({ name: 'TransientAwsError', code: 'InternalFailure' });
  });
});

describe('the local runner publishes the same event (the event log)', () => {
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

  const failedEvents = async (requestId: string) =>
    eventLog(sandbox.dir).read({ requestId, detailType: 'Private Endpoint Failed' });

  it("a run past the workflow's TimeoutSeconds (simulated clock) ends TIMED_OUT, undoes nothing, and says so", async () => {
    const request = { ...(await example('pinecone-index.json')), requestId: 'pinecone-timed-out' };
    let jumped = false;
    const outcome = await runWorkflow({
      workflow: 'provision',
      input: { request },
      executionName: 'pinecone-timed-out',
      ...(env.sandbox && { sandbox: env.sandbox }),
      afterTask: () => env.save(),
      localTasks: localIntegrations(env, 'provision', 'pinecone-timed-out'),
      // the first wait for the endpoint: the clock jumps past the execution's 8 days meanwhile
      waitOnPerson: () => {
        if (jumped) return undefined;
        jumped = true;
        return Promise.resolve().then(() => env.sandbox?.advance(700_000));
      },
    });
    expect(jumped).toBe(true);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const events = await failedEvents('pinecone-timed-out');
    expect(events).toHaveLength(1);
    expect(validateAgainst('private-endpoint-failed.json', events[0]?.event)).toEqual([]);
    const detail = events[0]?.event.detail as ProvisionResult;
    expect(detail.error?.code).toBe('ExecutionTimedOut');
    expect(detail.undone).toEqual([]);
    // as in AWS: a timed-out execution runs no Catch, so the endpoint is still there for teardown
    expect(env.sandbox?.inventory().endpoints.filter((e) => e.state !== 'deleted').length).toBeGreaterThan(0);
  });

  it('a failed teardown publishes Private Endpoint Failed; a compensated provisioning publishes exactly one', async () => {
    const orders = { ...(await example('orders-nlb-tcp.json')), requestId: 'orders-teardown-fails' };
    const compensated = await sandbox.provision({ ...orders, requestId: 'orders-compensated' }, [
      '--fault',
      'endpoint:failed',
    ]);
    expect(compensated.result.status).toBe('FAILED');
    expect(await failedEvents('orders-compensated')).toHaveLength(1);
    expect((await sandbox.provision(orders)).code).toBe(0);
    const teardown = await sandbox.cli([
      'teardown',
      '--request-id',
      'orders-teardown-fails',
      '--json',
      '--fault',
      'DeleteVpcEndpoints:UnauthorizedOperation',
    ]);
    expect(teardown.code).toBe(1);
    const events = await failedEvents('orders-teardown-fails');
    expect(events).toHaveLength(1);
    expect(validateAgainst('private-endpoint-failed.json', events[0]?.event)).toEqual([]);
    expect((events[0]?.event.detail as ProvisionResult | undefined)?.error?.code).toBe('UnauthorizedOperation');
  });
});
