// The HTTP API's Lambda side: the WorkflowPort over Step Functions, with aws-sdk-client-mock. The exact
// StartExecution / DescribeExecution / ListExecutions / SendTaskSuccess inputs, ExecutionAlreadyExists,
// and how Step Functions' errors reach an HTTP body (the project's own message, or only a correlation id).
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NothingWaitingError } from '../../src/core/app/hand-off.ts';
import type { HttpEvent } from '../../src/core/app/http-event.ts';
import { WorkflowsBusyError } from '../../src/core/app/workflow-port.ts';
import { type ProvisionRequest, parseProvisionRequest } from '../../src/core/domain/request.ts';
import {
  ConsumerEndpointRefusedError,
  NameCollisionError,
  RequestBusyError,
  RequestConflictError,
  RequestNotAllowedError,
  RequestValidationError,
} from '../../src/core/errors.ts';
import { handleHttp } from '../../src/http/routes.ts';
import { buildSfnWorkflows, executionArn, LIST_BUDGET_MS, LIST_CONCURRENCY } from '../../src/http/sfn-workflows.ts';
import type { TaskTokenStore, WaitingService } from '../../src/http/task-tokens.ts';
import { rejection } from '../aws/setup.ts';
import { example } from '../support/cli.ts';

const sfnMock = mockClient(SFNClient);
const PROVISION = 'arn:aws:states:us-east-1:111122223333:stateMachine:privatelink-provision';
const TEARDOWN = 'arn:aws:states:us-east-1:111122223333:stateMachine:privatelink-teardown';
const execution = (machine: string, name: string) => executionArn(machine, name);
const AWS_REQUEST_ID = '5f1c7d2e-9b1a-4c3e-8f00-aaaaaaaaaaaa';

function sfnError(name: string, message = `${name}: from Step Functions`): SFNServiceException {
  return new SFNServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: AWS_REQUEST_ID },
    message,
  });
}

function fakeTokens(initial: Record<string, string> = {}, waitingFor?: WaitingService) {
  const tokens = new Map(Object.entries(initial));
  const store: TaskTokenStore = {
    put: async (id, token) => void tokens.set(id, token),
    get: async (id) => tokens.get(id),
    getWaiting: async (id) => {
      const taskToken = tokens.get(id);
      return taskToken === undefined ? undefined : { taskToken, ...(waitingFor && { waitingFor }) };
    },
    remove: async (id) => void tokens.delete(id),
  };
  return { store, tokens };
}

let request: ProvisionRequest;
let tokens: ReturnType<typeof fakeTokens>;
const port = () =>
  buildSfnWorkflows(new SFNClient({ region: 'us-east-1' }), tokens.store, {
    provisionStateMachineArn: PROVISION,
    teardownStateMachineArn: TEARDOWN,
  });

/** DescribeExecution as Step Functions answers it for this request's provisioning. */
function described(extra: Partial<DescribeExecutionCommandOutput> = {}): Partial<DescribeExecutionCommandOutput> {
  return {
    executionArn: execution(PROVISION, request.requestId),
    name: request.requestId,
    status: 'RUNNING',
    input: JSON.stringify({ request }),
    startDate: new Date('2026-01-01T00:00:00Z'),
    ...extra,
  };
}

beforeEach(async () => {
  sfnMock.reset();
  tokens = fakeTokens();
  const parsed = parseProvisionRequest(await example('pinecone-index.json'));
  if (!parsed.ok) throw new Error('the example is invalid');
  request = parsed.request;
});

describe('startProvision', () => {
  it('starts one execution named after the request id, with the request as input', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: execution(PROVISION, request.requestId) });
    // Act
    const started = await port().startProvision(request);
    // Assess
    expect(started).toEqual({ started: true, result: { requestId: 'pinecone-my-index', status: 'PROVISIONING' } });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: PROVISION,
      name: 'pinecone-my-index',
      input: JSON.stringify({ request }),
    });
  });

  it('refuses a request outside the deployment allowlists before any call', async () => {
    vi.stubEnv('PRIVATELINK_ALLOWED_VPCS', 'vpc-12345678');
    try {
      await expect(port().startProvision(request)).rejects.toBeInstanceOf(RequestNotAllowedError);
      expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('on ExecutionAlreadyExists with the same body returns the existing execution, starting nothing', async () => {
    sfnMock.on(StartExecutionCommand).rejects(sfnError('ExecutionAlreadyExists'));
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: execution(PROVISION, 'pinecone-my-index') })
      .resolves(
        described({ status: 'SUCCEEDED', output: JSON.stringify({ requestId: request.requestId, status: 'READY' }) }),
      )
      .on(DescribeExecutionCommand, { executionArn: execution(TEARDOWN, 'pinecone-my-index-teardown') })
      .rejects(sfnError('ExecutionDoesNotExist'));

    const again = await port().startProvision(request);

    expect(again).toEqual({ started: false, result: { requestId: 'pinecone-my-index', status: 'READY' } });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:privatelink-provision:pinecone-my-index',
    });
  });

  it("checks a first execution's names before starting it, and a repeat's not at all", async () => {
    const checked: string[] = [];
    const withCheck = (refuse: boolean) =>
      buildSfnWorkflows(new SFNClient({ region: 'us-east-1' }), tokens.store, {
        provisionStateMachineArn: PROVISION,
        teardownStateMachineArn: TEARDOWN,
        beforeFirstStart: async (r) => {
          checked.push(r.requestId);
          if (refuse) throw new NameCollisionError('pinecone-other', 'A *.private.aped-4627-b74a.pinecone.io', 'z');
        },
      });
    sfnMock.on(DescribeExecutionCommand).rejects(sfnError('ExecutionDoesNotExist'));
    await expect(withCheck(true).startProvision(request)).rejects.toBeInstanceOf(NameCollisionError);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
    expect(checked).toEqual(['pinecone-my-index']);

    sfnMock.reset();
    sfnMock.on(DescribeExecutionCommand).resolves(described());
    sfnMock.on(StartExecutionCommand).rejects(sfnError('ExecutionAlreadyExists'));
    await withCheck(true).startProvision(request);
    expect(checked).toEqual(['pinecone-my-index']);
  });

  it('on ExecutionAlreadyExists with another body refuses with RequestConflictError (409)', async () => {
    sfnMock.on(StartExecutionCommand).rejects(sfnError('ExecutionAlreadyExists'));
    sfnMock.on(DescribeExecutionCommand).resolves(described());

    const error = await rejection(port().startProvision({ ...request, tags: { team: 'other' } }));

    expect(error).toBeInstanceOf(RequestConflictError);
    expect((error as Error).message).toContain('pinecone-my-index');
  });

  it('translates throttling and the open-execution limit into WorkflowsBusyError (503)', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejectsOnce(sfnError('ThrottlingException'))
      .rejects(sfnError('ExecutionLimitExceeded'));
    expect(await rejection(port().startProvision(request))).toBeInstanceOf(WorkflowsBusyError);
    expect(await rejection(port().startProvision(request))).toBeInstanceOf(WorkflowsBusyError);
  });
});

describe('getResult', () => {
  it('reads the newer of provisioning and teardown, and says WAITING_FOR_CONSUMER while a token is stored', async () => {
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: execution(PROVISION, 'pinecone-my-index') })
      .resolves(described())
      .on(DescribeExecutionCommand, { executionArn: execution(TEARDOWN, 'pinecone-my-index-teardown') })
      .rejects(sfnError('ExecutionDoesNotExist'));
    expect(await port().getResult('pinecone-my-index')).toEqual({
      requestId: 'pinecone-my-index',
      status: 'PROVISIONING',
    });
    tokens.tokens.set('pinecone-my-index', 'token-1');
    expect(await port().getResult('pinecone-my-index')).toMatchObject({
      status: 'WAITING_FOR_CONSUMER',
      currentStep: 'WaitForConsumer',
    });

    sfnMock.on(DescribeExecutionCommand, { executionArn: execution(TEARDOWN, 'pinecone-my-index-teardown') }).resolves({
      name: 'pinecone-my-index-teardown',
      status: 'SUCCEEDED',
      input: JSON.stringify({ request }),
      output: JSON.stringify({ requestId: 'pinecone-my-index', status: 'DELETED' }),
      startDate: new Date('2026-01-02T00:00:00Z'),
    });
    expect(await port().getResult('pinecone-my-index')).toEqual({ requestId: 'pinecone-my-index', status: 'DELETED' });
  });

  it('is undefined (404) for an execution that does not exist', async () => {
    sfnMock.on(DescribeExecutionCommand).rejects(sfnError('ExecutionDoesNotExist'));
    expect(await port().getResult('nobody')).toBeUndefined();
  });

  it('reads a failed execution as FAILED with the step and code the workflow recorded', async () => {
    const failure = {
      requestId: 'pinecone-my-index',
      status: 'FAILED',
      error: { code: 'InvalidSubnetID.NotFound', step: 'CreateInterfaceEndpoint', message: 'no such subnet' },
    };
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: execution(PROVISION, 'pinecone-my-index') })
      .resolves(described({ status: 'FAILED', error: 'ProvisioningFailed', cause: JSON.stringify(failure) }))
      .on(DescribeExecutionCommand, { executionArn: execution(TEARDOWN, 'pinecone-my-index-teardown') })
      .rejects(sfnError('ExecutionDoesNotExist'));
    expect(await port().getResult('pinecone-my-index')).toEqual(failure);
  });
});

describe('listResults', () => {
  it('passes the page size and token to ListExecutions and hands back its nextToken', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({
      executions: [
        {
          name: 'pinecone-my-index',
          executionArn: execution(PROVISION, 'pinecone-my-index'),
          stateMachineArn: PROVISION,
          status: 'RUNNING',
          startDate: new Date(),
        },
      ],
      nextToken: 'page-2-token',
    });
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: execution(PROVISION, 'pinecone-my-index') })
      .resolves(described())
      .on(DescribeExecutionCommand, { executionArn: execution(TEARDOWN, 'pinecone-my-index-teardown') })
      .rejects(sfnError('ExecutionDoesNotExist'));

    const page = await port().listResults({ limit: 5, next: 'page-1-token' });

    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: PROVISION,
      maxResults: 5,
      nextToken: 'page-1-token',
    });
    expect(page).toEqual({
      items: [{ requestId: 'pinecone-my-index', status: 'PROVISIONING' }],
      next: 'page-2-token',
    });
  });

  it('reads a page of results at most LIST_CONCURRENCY at a time; one it cannot read is reported, not the page', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `req-${i}`);
    sfnMock.on(ListExecutionsCommand).resolves({
      executions: names.map((name) => ({
        name,
        executionArn: execution(PROVISION, name),
        stateMachineArn: PROVISION,
        status: 'SUCCEEDED',
        startDate: new Date('2026-01-01T00:00:00Z'),
      })),
    });
    let inFlight = 0;
    let most = 0;
    sfnMock.on(DescribeExecutionCommand).callsFake(async (input: { executionArn: string }) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        const name = input.executionArn.split(':').at(-1) ?? '';
        if (input.executionArn.startsWith(TEARDOWN.replace(':stateMachine:', ':execution:')))
          throw sfnError('ExecutionDoesNotExist');
        if (name === 'req-7')
          throw sfnError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/x is not authorized');
        if (name === 'req-9') throw sfnError('ThrottlingException', 'Rate exceeded');
        return described({ name, status: 'SUCCEEDED', output: JSON.stringify({ requestId: name, status: 'READY' }) });
      } finally {
        inFlight--;
      }
    });

    const page = await port().listResults({ limit: 30 });

    expect(most).toBe(LIST_CONCURRENCY);
    expect(page.items.map((r) => r.requestId)).toEqual(names.filter((n) => n !== 'req-7' && n !== 'req-9'));
    const again = 'the result could not be read just now; GET /endpoints/req-7 tries again';
    expect(page.unreadable).toEqual([
      { requestId: 'req-7', error: { code: 'AccessDeniedException', message: again } },
      { requestId: 'req-9', error: { code: 'ServiceBusy', message: again.replace('req-7', 'req-9') } },
    ]);
    expect(JSON.stringify(page)).not.toMatch(/arn:|Rate exceeded/);
    expect(page.next).toBeUndefined();
  });

  it("lists the results it had no time to start as NotReadInTime, inside the function's 10 s", async () => {
    const names = ['t-0', 't-1', 't-2', 't-3', 't-4'];
    sfnMock.on(ListExecutionsCommand).resolves({
      executions: names.map((name) => ({
        name,
        executionArn: execution(PROVISION, name),
        stateMachineArn: PROVISION,
        status: 'SUCCEEDED',
        startDate: new Date('2026-01-01T00:00:00Z'),
      })),
    });
    let clockMs = 0;
    // Every DescribeExecution takes a simulated second: two per result.
    sfnMock.on(DescribeExecutionCommand).callsFake(async (input: { executionArn: string }) => {
      clockMs += 1000;
      const name = input.executionArn.split(':').at(-1) ?? '';
      if (name.endsWith('-teardown')) throw sfnError('ExecutionDoesNotExist');
      return described({ name, status: 'SUCCEEDED', output: JSON.stringify({ requestId: name, status: 'READY' }) });
    });
    const timed = buildSfnWorkflows(new SFNClient({ region: 'us-east-1' }), tokens.store, {
      provisionStateMachineArn: PROVISION,
      teardownStateMachineArn: TEARDOWN,
      listConcurrency: 1,
      now: () => clockMs,
    });

    const page = await timed.listResults({ limit: 5 });

    expect(LIST_BUDGET_MS).toBe(6000);
    expect(page.items.map((r) => r.requestId)).toEqual(['t-0', 't-1', 't-2']);
    expect(page.unreadable?.map((u) => [u.requestId, u.error.code])).toEqual([
      ['t-3', 'NotReadInTime'],
      ['t-4', 'NotReadInTime'],
    ]);
    expect(sfnMock).toHaveReceivedCommandTimes(DescribeExecutionCommand, 6);
  });

  it('turns a page token Step Functions refuses into a field issue on next (400)', async () => {
    sfnMock.on(ListExecutionsCommand).rejects(sfnError('InvalidToken'));
    const error = await rejection(port().listResults({ limit: 5, next: 'forged' }));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual([{ path: 'next', message: 'is not a page token' }]);
  });
});

describe('startTeardown', () => {
  it('starts `<id>-teardown` on the teardown machine with the provisioning input', async () => {
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: execution(PROVISION, 'pinecone-my-index') })
      .resolves(
        described({ status: 'SUCCEEDED', output: JSON.stringify({ requestId: 'pinecone-my-index', status: 'READY' }) }),
      )
      .on(DescribeExecutionCommand, { executionArn: execution(TEARDOWN, 'pinecone-my-index-teardown') })
      .rejects(sfnError('ExecutionDoesNotExist'));
    sfnMock.on(StartExecutionCommand).resolves({});

    await port().startTeardown('pinecone-my-index');

    expect(sfnMock).toHaveReceivedCommandExactlyOnceWith(StartExecutionCommand, {
      stateMachineArn: TEARDOWN,
      name: 'pinecone-my-index-teardown',
      input: JSON.stringify({ request }),
    });
  });

  it('tolerates ExecutionAlreadyExists (a second teardown) and is undefined for an unknown id', async () => {
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: execution(PROVISION, 'pinecone-my-index') })
      .resolves(described({ status: 'SUCCEEDED', output: '{}' }))
      .on(DescribeExecutionCommand, { executionArn: execution(TEARDOWN, 'pinecone-my-index-teardown') })
      .resolves({
        status: 'SUCCEEDED',
        output: JSON.stringify({ requestId: 'pinecone-my-index', status: 'DELETED' }),
        startDate: new Date('2026-01-02T00:00:00Z'),
      })
      .on(DescribeExecutionCommand, { executionArn: execution(PROVISION, 'unknown') })
      .rejects(sfnError('ExecutionDoesNotExist'));
    sfnMock.on(StartExecutionCommand).rejects(sfnError('ExecutionAlreadyExists'));

    expect(await port().startTeardown('pinecone-my-index')).toMatchObject({ status: 'DELETED' });
    expect(await port().startTeardown('unknown')).toBeUndefined();
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('refuses (409) while the provisioning still runs, starting nothing', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves(described({ status: 'RUNNING' }));
    expect(await rejection(port().startTeardown('pinecone-my-index'))).toBeInstanceOf(RequestBusyError);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});

describe('finalize', () => {
  it('sends the stored task token with the endpoint id, then forgets the token', async () => {
    tokens = fakeTokens({ 'pinecone-my-index': 'AQCEAAAAKgAAAA-token' });
    sfnMock.on(SendTaskSuccessCommand).resolves({});

    await port().finalize('pinecone-my-index', 'vpce-0123456789abcdef0');

    expect(sfnMock).toHaveReceivedCommandExactlyOnceWith(SendTaskSuccessCommand, {
      taskToken: 'AQCEAAAAKgAAAA-token',
      output: '{"endpointId":"vpce-0123456789abcdef0"}',
    });
    expect(tokens.tokens.has('pinecone-my-index')).toBe(false);
  });

  it("checks the other party's endpoint against the request and the waiting service first; a refusal keeps the wait", async () => {
    const service = {
      serviceId: 'vpce-svc-0123456789abcdef0',
      serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
    };
    tokens = fakeTokens({ 'pinecone-my-index': 'AQCEAAAAKgAAAA-token' }, service);
    sfnMock.on(DescribeExecutionCommand).resolves(described());
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    const checked: unknown[] = [];
    let refuse = true;
    const verifying = buildSfnWorkflows(new SFNClient({ region: 'us-east-1' }), tokens.store, {
      provisionStateMachineArn: PROVISION,
      teardownStateMachineArn: TEARDOWN,
      verifyReport: async (req, waitingFor, endpointId) => {
        checked.push({ requestId: req.requestId, region: req.region, waitingFor, endpointId });
        if (refuse)
          throw new ConsumerEndpointRefusedError('ConsumerEndpointNotFound', `${endpointId} is not an endpoint to it`);
      },
    });
    const event: HttpEvent = {
      rawPath: '/endpoints/pinecone-my-index/finalize',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpointId: 'vpce-0123456789abcdef0' }),
      requestContext: { http: { method: 'POST' } },
    };
    const refused = await handleHttp(event, { workflows: verifying, logError: () => {} });
    expect(refused.statusCode).toBe(409);
    expect(JSON.parse(refused.body).error).toMatchObject({
      code: 'ConsumerEndpointNotFound',
      status: 'WAITING_FOR_CONSUMER',
    });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(tokens.tokens.has('pinecone-my-index')).toBe(true);

    refuse = false;
    expect((await handleHttp(event, { workflows: verifying, logError: () => {} })).statusCode).toBe(202);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(tokens.tokens.has('pinecone-my-index')).toBe(false);
    const seen = {
      requestId: 'pinecone-my-index',
      region: 'us-east-1',
      waitingFor: service,
      endpointId: 'vpce-0123456789abcdef0',
    };
    expect(checked).toEqual([seen, seen]);
  });

  it('is NothingWaitingError (409) without a token, or when the task is gone', async () => {
    expect(await rejection(port().finalize('pinecone-my-index', 'vpce-0123456789abcdef0'))).toBeInstanceOf(
      NothingWaitingError,
    );
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    for (const code of ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']) {
      tokens = fakeTokens({ 'pinecone-my-index': 'token' });
      sfnMock.on(SendTaskSuccessCommand).rejects(sfnError(code));
      expect(await rejection(port().finalize('pinecone-my-index', 'vpce-0123456789abcdef0')), code).toBeInstanceOf(
        NothingWaitingError,
      );
      expect(tokens.tokens.has('pinecone-my-index'), code).toBe(false);
    }
  });

  it('keeps the token when Step Functions fails transiently, so finalize can be repeated', async () => {
    tokens = fakeTokens({ 'pinecone-my-index': 'token' });
    sfnMock.on(SendTaskSuccessCommand).rejectsOnce(sfnError('ThrottlingException')).resolves({});

    expect(await rejection(port().finalize('pinecone-my-index', 'vpce-0123456789abcdef0'))).toBeInstanceOf(
      WorkflowsBusyError,
    );
    expect(tokens.tokens.get('pinecone-my-index')).toBe('token');
    await port().finalize('pinecone-my-index', 'vpce-0123456789abcdef0');
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 2);
  });
});

describe('through the HTTP routes (the httpApi Lambda)', () => {
  const event = (method: string, rawPath: string, body?: unknown): HttpEvent => ({
    rawPath,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    requestContext: { http: { method } },
  });

  it('answers an unexpected AWS error with a correlation id only: no AWS request id, ARN, message or stack', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(
        sfnError(
          'AccessDeniedException',
          `User: arn:aws:sts::111122223333:assumed-role/http-api/x is not authorized to perform: states:StartExecution on ${PROVISION}`,
        ),
      );
    const logError = vi.fn();

    const response = await handleHttp(event('POST', '/endpoints', await example('pinecone-index.json')), {
      workflows: port(),
      logError,
    });

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'InternalError', message: 'internal error', correlationId: expect.any(String) },
    });
    for (const secret of [AWS_REQUEST_ID, 'arn:aws', 'AccessDenied', '111122223333', 'at '])
      expect(response.body).not.toContain(secret);
    expect(logError).toHaveBeenCalledWith(
      JSON.parse(response.body).error.correlationId,
      expect.any(SFNServiceException),
    );
  });

  it('answers throttling 503 with Retry-After, a conflict 409 and an unknown id 404, without AWS details', async () => {
    sfnMock.on(StartExecutionCommand).rejects(sfnError('ThrottlingException'));
    sfnMock.on(DescribeExecutionCommand).rejects(sfnError('ExecutionDoesNotExist'));
    const deps = { workflows: port(), logError: () => {} };

    const busy = await handleHttp(event('POST', '/endpoints', await example('pinecone-index.json')), deps);
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    const unknown = await handleHttp(event('GET', '/endpoints/nobody'), deps);
    expect(unknown.statusCode).toBe(404);

    sfnMock.on(StartExecutionCommand).rejects(sfnError('ExecutionAlreadyExists'));
    sfnMock.on(DescribeExecutionCommand).resolves(described());
    const conflict = await handleHttp(
      event('POST', '/endpoints', { ...(await example('pinecone-index.json')), tags: { team: 'other' } }),
      deps,
    );
    expect(conflict.statusCode).toBe(409);
    for (const response of [busy, unknown, conflict]) {
      expect(response.body).not.toContain(AWS_REQUEST_ID);
      expect(response.body).not.toContain('from Step Functions');
      expect(response.body).not.toMatch(/\n\s+at /);
    }
  });
});
