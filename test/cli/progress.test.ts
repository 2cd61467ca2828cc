// The progress lines and the result as people read them: who must act (and the exact command),
// retry pauses as they really passed, long polls collapsed, failures explained once, field errors
// as sentences.
import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../src/cli/progress.ts';
import { explainFailure, issueSentence, renderResult } from '../../src/cli/render.ts';
import type { RunEvent } from '../../src/core/runner/local-runner.ts';

const task = (state: string, output: unknown): RunEvent => ({ type: 'exited', state, stateType: 'Task', output });
const wait = (state: string, seconds: number): RunEvent => ({
  type: 'entered',
  state,
  stateType: 'Wait',
  input: {},
  waitSeconds: seconds,
});
const vendorAction = {
  who: 'vendor' as const,
  endpointId: 'vpce-0123456789abcdef0',
  what: 'Register vpce-0123456789abcdef0 in the Pinecone console: Settings > Network > Add an endpoint',
};
const command =
  'aws ec2 create-vpc-endpoint --region us-east-1 --vpc-endpoint-type Interface --vpc-id vpc-0e4a7b9c2d1f03568 --service-name com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

describe('progressPrinter', () => {
  it('a step line per task, with the time since the start', () => {
    const print = progressPrinter();
    expect(
      print(task('CreateInterfaceEndpoint', { endpoint: { endpointId: 'vpce-1', state: 'pending' } }), 0.5),
    ).toEqual(['[    0.5s] CreateInterfaceEndpoint   vpce-1 pending']);
    expect(print(wait('WaitForEndpoint', 10), 0.5)).toEqual(['[    0.5s] WaitForEndpoint 10s']);
  });

  it('says once who must act when a check finds the endpoint waiting on its vendor', () => {
    const print = progressPrinter();
    const check = (polls: number) =>
      task('CheckEndpoint', { endpoint: { state: 'pendingAcceptance', polls, action: vendorAction } });
    const first = print(check(1), 10.6);
    expect(first[0]).toBe('[   10.6s] CheckEndpoint             pendingAcceptance (check 1)');
    expect(first[1]).toMatch(/^\s+WAITING_FOR_VENDOR\s+Register vpce-0123456789abcdef0 in the Pinecone console/);
    expect(print(check(2), 40.7)).toEqual(['[   40.7s] CheckEndpoint             pendingAcceptance (check 2)']);
  });

  it('puts the consumer’s command on a line of its own, to copy', () => {
    const print = progressPrinter();
    const action = { who: 'consumer', what: 'In account 444455556666, create an interface endpoint', command };
    const lines = print(
      { type: 'entered', state: 'WaitForConsumer', stateType: 'Task', input: { service: { consumerAction: action } } },
      0.3,
    );
    expect(lines[0]).toMatch(/^\s+WAITING_FOR_CONSUMER\s+In account 444455556666, create an interface endpoint$/);
    expect(lines[1]?.trim()).toBe(command);
  });

  it('collapses a long streak of identical polls, showing every 10th, and resumes on a change', () => {
    const print = progressPrinter();
    const lines: string[] = [];
    for (let polls = 1; polls <= 25; polls++) {
      lines.push(...print(task('CheckEndpoint', { endpoint: { state: 'pending', polls } }), polls * 30));
      lines.push(...print(wait('WaitForEndpoint', 30), polls * 30));
    }
    const checks = lines.filter((l) => l.includes('CheckEndpoint')).map((l) => l.match(/check (\d+)/)?.[1]);
    expect(checks).toEqual(['1', '2', '3', '4', '5', '6', '10', '20']);
    expect(lines.filter((l) => l.includes('the same answer again'))).toHaveLength(1);
    expect(print(task('CheckEndpoint', { endpoint: { state: 'available', polls: 26 } }), 800)).toEqual([
      '[  800.0s] CheckEndpoint             available (check 26)',
    ]);
  });

  it('UpsertDnsRecords says which zones it wrote, or why it wrote none', () => {
    const print = progressPrinter();
    const zones = [{ name: 'cluster0-pl-0-k45tj.mongodb.net' }, { name: 'pl-0-us-east-1-k45tj.mongodb.net' }];
    expect(print(task('UpsertDnsRecords', { dns: { zones, written: true } }), 7.5)).toEqual([
      '[    7.5s] UpsertDnsRecords          2 zone(s): cluster0-pl-0-k45tj.mongodb.net, pl-0-us-east-1-k45tj.mongodb.net',
    ]);
    expect(print(task('UpsertDnsRecords', { dns: { zones: [], written: false } }), 8)).toEqual([
      "[    8.0s] UpsertDnsRecords          waiting for the endpoint's addresses: CheckEndpoint writes the records",
    ]);
    expect(print(task('UpsertDnsRecords', { dns: { zones: [], written: true } }), 9)).toEqual([
      '[    9.0s] UpsertDnsRecords          no private zone to write: the vendor publishes the names',
    ]);
  });

  it('a retry line shows the pause that passed since the failure, and the backoff when jitter shortened it', () => {
    const print = progressPrinter();
    const failed: RunEvent = {
      type: 'failed',
      state: 'UpsertDnsRecords',
      stateType: 'Task',
      error: 'TransientAwsError',
      cause: 'Throttling: Rate exceeded (ChangeResourceRecordSets)',
    };
    print(failed, 3.0);
    expect(print({ type: 'retried', state: 'UpsertDnsRecords', attempt: 1, pauseSeconds: 2 }, 3.1)).toEqual([
      '[    3.1s] UpsertDnsRecords          retry 1 after 0.1s (jittered; backoff up to 2s)',
    ]);
    print(failed, 4.0);
    expect(print({ type: 'retried', state: 'UpsertDnsRecords', attempt: 2, pauseSeconds: 4 }, 8.0)).toEqual([
      '[    8.0s] UpsertDnsRecords          retry 2 after 4s',
    ]);
  });

  it('explains a failure once per run, however often it repeats', () => {
    const print = progressPrinter();
    const failed: RunEvent = {
      type: 'failed',
      state: 'EnsureEndpointService',
      stateType: 'Task',
      error: 'CredentialsProviderError',
      cause: 'Could not load credentials from any providers',
    };
    const first = print(failed, 0.4);
    expect(first).toHaveLength(2);
    expect(first[1]).toContain('No AWS credentials were found');
    expect(print(failed, 0.5)).toHaveLength(1);
  });
});

describe('renderResult', () => {
  it('shows the actions, the command on its own line, and the vendor’s view', () => {
    const text = renderResult({
      requestId: 'pinecone-my-index',
      status: 'WAITING_FOR_VENDOR',
      currentStep: 'CheckEndpoint',
      actions: [vendorAction, { who: 'consumer', what: 'Create the endpoint', command }],
      vendor: {
        name: 'atlas',
        endpointServiceId: '6123456789abcdef01234567',
        status: 'AVAILABLE',
        connectionStatus: 'PENDING',
      },
    });
    expect(text.split('\n')).toEqual([
      'WAITING_FOR_VENDOR pinecone-my-index (at CheckEndpoint)',
      `  waiting on the service's owner (vendor): ${vendorAction.what}`,
      '  waiting on the other party (consumer): Create the endpoint',
      `    ${command}`,
      '  vendor     atlas endpoint service 6123456789abcdef01234567 AVAILABLE, our endpoint PENDING',
    ]);
  });

  it('explains a failure whose AWS wording leaves one guessing', () => {
    const text = renderResult({
      requestId: 'r',
      status: 'FAILED',
      error: {
        code: 'CredentialsProviderError',
        step: 'EnsureEndpointService',
        message: 'Could not load credentials from any providers',
      },
    });
    expect(text).toContain('failed at  EnsureEndpointService: CredentialsProviderError');
    expect(text).toContain('No AWS credentials were found');
    expect(text).toContain('this run created nothing');
  });
});

describe('explainFailure', () => {
  it('says what an unreachable endpoint is', () => {
    const before = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    try {
      expect(explainFailure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')).toContain(
        'AWS could not be reached at AWS_ENDPOINT_URL=http://127.0.0.1:9',
      );
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = before;
    }
    expect(explainFailure('InvalidSubnetID.NotFound', 'no such subnet')).toBe('no such subnet');
  });
});

describe('issueSentence', () => {
  it.each([
    [{ path: 'target', message: 'Invalid input: expected object, received undefined' }, '`target` is required'],
    [
      { path: 'requestId', message: 'Invalid input: expected string, received number' },
      '`requestId` must be a string, not a number',
    ],
    [
      { path: 'target.ports', message: 'Invalid input: expected array, received string' },
      '`target.ports` must be an array, not a string',
    ],
    [{ path: '', message: 'Invalid input: expected object, received null' }, 'the request must be an object, not null'],
    [
      { path: 'consumer.vpcId', message: 'must be vpc- followed by 8 or 17 hex digits' },
      '`consumer.vpcId` must be vpc- followed by 8 or 17 hex digits',
    ],
    [{ path: 'servce', message: 'is not a known field' }, '`servce` is not a known field'],
    [
      { path: 'consumer.subnetIds', message: 'Too small: expected array to have >=1 items' },
      '`consumer.subnetIds`: Too small: expected array to have >=1 items',
    ],
  ])('%j → %s', (issue, sentence) => {
    expect(issueSentence(issue)).toBe(sentence);
  });
});
