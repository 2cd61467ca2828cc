// The Cluster Created starter (functions/start-from-event.ts), the rule's Lambda target, against
// aws-sdk-client-mock: the execution is named after the request id exactly as the HTTP API names it, the
// input is what the rule's input transformer gave the workflow, a repeat dedupes, a different request
// under the same id is a logged conflict, and a refused event starts nothing and is answered by an event.
import { EventBridgeClient, EventBridgeServiceException, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { DescribeExecutionCommand, SFNClient, SFNServiceException, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/start-from-event.ts';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { localIntegrations } from '../../src/core/app/local-integrations.ts';
import type { EventOutcome } from '../../src/core/app/start-from-event.ts';
import { executionArn } from '../../src/core/aws/sfn.ts';
import { callerReference } from '../../src/core/domain/ids.ts';
import { parseProvisionRequest } from '../../src/core/domain/request.ts';
import { TransientAwsError } from '../../src/core/errors.ts';
import { logger } from '../../src/core/observability.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { buildSfnWorkflows } from '../../src/http/sfn-workflows.ts';
import { rejection } from '../aws/setup.ts';
import { example, sandboxDir } from '../support/cli.ts';
import { clusterCreatedEvent, clusterCreatedTransformer, transformInput } from '../support/input-transformer.ts';

const sfnMock = mockClient(SFNClient);
const eventsMock = mockClient(EventBridgeClient);
// The check of the request's DNS names before its first execution: no private zone of those names yet.
let route53Mock = mockClient(Route53Client);
const PROVISION = 'arn:aws:states:us-east-1:111122223333:stateMachine:privatelink-provision-dev';

function sfnError(name: string): SFNServiceException {
  return new SFNServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message: name });
}

async function detail(): Promise<Record<string, unknown>> {
  const { requestId: _omitted, $schema: _schema, ...rest } = await example('orders-nlb-tcp.json');
  return rest;
}

const run = (event: unknown) => handler(event) as Promise<EventOutcome>;

function startedWith(): { name?: string; stateMachineArn?: string; input: Record<string, unknown> } {
  const calls = sfnMock.commandCalls(StartExecutionCommand);
  expect(calls).toHaveLength(1);
  const sent = calls[0]?.args[0].input;
  return { name: sent?.name, stateMachineArn: sent?.stateMachineArn, input: JSON.parse(sent?.input ?? '{}') };
}

const logged = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const)
    logged[level] = vi.spyOn(logger, level).mockImplementation(() => {}) as unknown as (typeof logged)[typeof level];
  sfnMock.reset();
  eventsMock.reset();
  route53Mock.reset();
  route53Mock.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [], IsTruncated: false, MaxItems: 100 });
  vi.stubEnv('PROVISION_STATE_MACHINE_ARN', PROVISION);
  vi.stubEnv('PRIVATELINK_EVENT_BUS_NAME', 'platform');
  vi.stubEnv('PRIVATELINK_REQUIRE_ALLOWLISTS', '');
  sfnMock.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: executionArn(PROVISION, name) }));
  eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('a Cluster Created event starts one execution named after its request id', () => {
  it('without detail.requestId the request id is the event id; the input is what the transformer gave', async () => {
    const event = clusterCreatedEvent(await detail());
    const outcome = await run(event);
    expect(outcome).toEqual({
      kind: 'started',
      requestId: event.id,
      executionArn: executionArn(PROVISION, String(event.id)),
    });
    const sent = startedWith();
    expect(sent.stateMachineArn).toBe(PROVISION);
    expect(sent.name).toBe(event.id);
    // The same `event` keys the workflow got from deploy/cluster-created-input.json, and the request parsed.
    const transformed = JSON.parse(transformInput(clusterCreatedTransformer, event));
    expect(Object.keys(sent.input).sort()).toEqual(['event', 'request']);
    expect(sent.input.event).toEqual(transformed.event);
    const parsed = parseProvisionRequest({ ...transformed.request, requestId: event.id });
    expect(parsed.ok && sent.input.request).toEqual(parsed.ok && parsed.request);
    expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it("the detail's own requestId names the execution exactly as POST /endpoints names it", async () => {
    const request = { ...(await detail()), requestId: 'orders-from-event' };
    await run(clusterCreatedEvent(request));
    const fromEvent = startedWith();
    sfnMock.resetHistory();
    const parsed = parseProvisionRequest(request);
    if (!parsed.ok) throw new Error('invalid example');
    await buildSfnWorkflows(new SFNClient({}), noTokens, {
      provisionStateMachineArn: PROVISION,
      teardownStateMachineArn: PROVISION.replace('provision', 'teardown'),
    }).startProvision(parsed.request);
    const fromHttp = startedWith();
    expect(fromEvent.name).toBe('orders-from-event');
    expect(fromHttp.name).toBe(fromEvent.name);
    expect(fromHttp.input.request).toEqual(fromEvent.input.request);
  });

  it('a repeated delivery of the event is a repeat: ExecutionAlreadyExists for the same request', async () => {
    const event = clusterCreatedEvent(await detail());
    await run(event);
    const first = startedWith();
    sfnMock.on(StartExecutionCommand).rejects(sfnError('ExecutionAlreadyExists'));
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: executionArn(PROVISION, String(event.id)),
      name: String(event.id),
      status: 'RUNNING',
      input: JSON.stringify(first.input),
    });
    expect(await run(event)).toEqual({ kind: 'repeat', requestId: event.id });
    expect(logged.info).toHaveBeenLastCalledWith(expect.stringContaining('repeated delivery'), {
      requestId: event.id,
      eventId: event.id,
    });
    expect(sfnMock.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: executionArn(PROVISION, String(event.id)),
    });
    expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('another request under a taken request id is a conflict: logged, not retried, nothing started', async () => {
    const request = { ...(await detail()), requestId: 'orders-taken' };
    sfnMock.on(StartExecutionCommand).rejects(sfnError('ExecutionAlreadyExists'));
    sfnMock.on(DescribeExecutionCommand).resolves({
      name: 'orders-taken',
      status: 'SUCCEEDED',
      input: JSON.stringify({ request: { ...request, tags: { team: 'someone-else' } } }),
    });
    const outcome = await run(clusterCreatedEvent(request));
    expect(outcome.kind).toBe('conflict');
    expect(outcome.kind === 'conflict' && outcome.message).toContain('orders-taken already names a different request');
    expect(logged.error).toHaveBeenCalledWith(expect.stringContaining('already names a different request'), {
      requestId: 'orders-taken',
      eventId: expect.any(String),
    });
    // a conflict publishes nothing: a Failed event would tell consumers the other request failed
    expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it("Step Functions' throttling fails the invocation (Lambda retries it, then the dead-letter queue)", async () => {
    sfnMock.on(StartExecutionCommand).rejects(
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    );
    const error = await rejection(run(clusterCreatedEvent(await detail())));
    expect((error as Error).name).toBe('ThrottlingException');
  });
});

describe('the input it starts with', () => {
  it('runs the real provisioning definition to READY on the sandbox, under the event id', async () => {
    const event = clusterCreatedEvent(await detail());
    await run(event);
    const sent = startedWith();
    // The workflow's own Route 53 calls go to the sandbox, not to the mock.
    route53Mock.restore();
    const sandbox = await sandboxDir();
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
    try {
      const outcome = await runWorkflow({
        workflow: 'provision',
        input: sent.input,
        executionName: String(sent.name),
        ...(env.sandbox && { sandbox: env.sandbox }),
        afterTask: () => env.save(),
        localTasks: localIntegrations(env, 'provision', String(sent.name)),
      });
      expect(outcome.status).toBe('SUCCEEDED');
      expect((outcome as { output: { requestId: string; status: string } }).output).toMatchObject({
        requestId: event.id,
        status: 'READY',
      });
    } finally {
      await env.close();
      await sandbox.cleanup();
      route53Mock = mockClient(Route53Client);
    }
  });
});

describe('an event that may not start anything', () => {
  it('an invalid detail starts nothing and is answered with Private Endpoint Failed (InvalidRequest)', async () => {
    const event = clusterCreatedEvent({
      region: 'us-east-1',
      requestId: 'bad-detail',
      notify: { eventBusName: 'platform' },
    });
    const outcome = await run(event);
    expect(outcome.kind).toBe('refused');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    const [put] = eventsMock.commandCalls(PutEventsCommand);
    const entry = put?.args[0].input.Entries?.[0];
    expect(entry?.Source).toBe('privatelink');
    expect(entry?.DetailType).toBe('Private Endpoint Failed');
    expect(entry?.EventBusName).toBe('platform');
    const published = JSON.parse(entry?.Detail ?? '{}');
    expect(published).toMatchObject({
      requestId: 'bad-detail',
      status: 'FAILED',
      error: { code: 'InvalidRequest', step: 'StartFromEvent' },
      undone: [],
    });
    expect(published.error.message).toContain('consumer');
  });

  it('a request outside the allowlists starts nothing (NotAllowed), as at the HTTP edge', async () => {
    vi.stubEnv('PRIVATELINK_ALLOWED_VPCS', 'vpc-12345678');
    const outcome = await run(clusterCreatedEvent({ ...(await detail()), requestId: 'orders-elsewhere' }));
    expect(outcome.kind).toBe('refused');
    expect(outcome.kind === 'refused' && outcome.result.error?.code).toBe('NotAllowed');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    const entry = eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.EventBusName).toBe('default');
  });

  it("a request whose DNS name another request's zone holds in the VPC starts nothing (NameCollision)", async () => {
    const zone = 'orders-db.internal.example.com';
    route53Mock.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [
        {
          Id: '/hostedzone/Z0ORDERSOTHER',
          Name: `${zone}.`,
          CallerReference: callerReference('orders-other', zone, 1),
          Config: { PrivateZone: true },
        },
      ],
      IsTruncated: false,
      MaxItems: 100,
    });
    route53Mock.on(GetHostedZoneCommand).resolves({
      HostedZone: {
        Id: '/hostedzone/Z0ORDERSOTHER',
        Name: `${zone}.`,
        CallerReference: callerReference('orders-other', zone, 1),
        Config: { PrivateZone: true },
      },
      VPCs: [{ VPCId: 'vpc-0a1b2c3d4e5f67890', VPCRegion: 'us-east-1' }],
    });
    route53Mock.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [{ Name: `${zone}.`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.9.9' }] }],
      IsTruncated: false,
      MaxItems: 300,
    });
    sfnMock.on(DescribeExecutionCommand).rejects(sfnError('ExecutionDoesNotExist'));
    const outcome = await run(clusterCreatedEvent({ ...(await detail()), requestId: 'orders-again' }));
    expect(outcome.kind).toBe('refused');
    expect(outcome.kind === 'refused' && outcome.result.error?.code).toBe('NameCollision');
    expect(outcome.kind === 'refused' && outcome.result.error?.message).toContain('request orders-other');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('a refusal naming a bus the deployment may not put events on publishes nothing', async () => {
    const outcome = await run(clusterCreatedEvent({ region: 'us-east-1', notify: { eventBusName: 'elsewhere' } }));
    expect(outcome).toMatchObject({ kind: 'refused', published: false });
    expect(eventsMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('a failed PutEvents entry is an error (the invocation is retried), throttling a transient one', async () => {
    eventsMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    const error = await rejection(run(clusterCreatedEvent({ region: 'us-east-1' })));
    expect(error).toBeInstanceOf(TransientAwsError);
    expect((error as TransientAwsError).code).toBe('ThrottlingException');
    eventsMock.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized',
      }),
    );
    const denied = await rejection(run(clusterCreatedEvent({ region: 'us-east-1' })));
    expect((denied as { name?: string }).name).toBe('AwsRequestError');
  });
});

const noTokens = {
  put: async () => {},
  get: async () => undefined,
  getWaiting: async () => undefined,
  remove: async () => {},
};
