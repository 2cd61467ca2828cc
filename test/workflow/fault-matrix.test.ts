// The fault matrix: every AWS operation the provisioning and teardown workflows call (read from the
// sandbox's call counts of clean runs of every example, so the list cannot drift from the code), with a
// transient fault (a throttling code on the first calls: still READY, or DELETED) and a terminal one
// (FAILED with that code at the step that called it, nothing of the request left; in teardown, a
// second teardown finishes the job). Plus the endpoint's own failures, a deadline, an unexpected error.

import { afterAll, describe, expect, it } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { startProvision } from '../../src/core/app/provision.ts';
import { startTeardown } from '../../src/core/app/teardown.ts';
import { parseProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { FUNCTIONS } from '../../src/core/runner/functions.ts';
import type { RunEvent } from '../../src/core/runner/local-runner.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';

const EXAMPLES = ['atlas-replica-set.json', 'atlas-serverless.json', 'pinecone-index.json', 'orders-nlb-tcp.json'];
const EMPTY = EMPTY_INVENTORY;
type Phase = 'provision' | 'teardown';

interface OperationUse {
  operation: string;
  phase: Phase;
  example: string;
  /** the first state of the phase that called it */
  step: string;
}

/** Attributes the sandbox's call counts to the Task state that made the calls. */
function attribute(sandbox: Sandbox, record: (step: string, operation: string) => void) {
  let step: string | undefined;
  let before = sandbox.callCounts();
  const flush = () => {
    const now = sandbox.callCounts();
    for (const [operation, n] of Object.entries(now)) if (step && n > (before[operation] ?? 0)) record(step, operation);
    before = now;
  };
  return {
    onEvent: (event: RunEvent) => {
      if (event.type === 'entered' && event.stateType === 'Task') {
        flush();
        step = event.state;
      }
    },
    flush,
  };
}

/** Clean runs of every example, provision then teardown: which operation each phase calls, and where first. */
async function operationsInUse(): Promise<OperationUse[]> {
  const uses = new Map<string, OperationUse>();
  for (const name of EXAMPLES) {
    const dir = await sandboxDir();
    const env = await openEnvironment({ stateDir: dir.dir, seedFile: dir.seed });
    try {
      const parsed = parseProvisionRequest(await example(name));
      if (!parsed.ok || !env.sandbox) throw new Error(`cannot run ${name}`);
      for (const phase of ['provision', 'teardown'] as const) {
        const seen = attribute(env.sandbox, (step, operation) => {
          const key = `${phase}:${operation}`;
          if (!uses.has(key)) uses.set(key, { operation, phase, example: name, step });
        });
        const start =
          phase === 'provision'
            ? await startProvision(env, parsed.request, seen.onEvent)
            : await startTeardown(env, parsed.request.requestId, seen.onEvent);
        if (start.kind !== 'started') throw new Error(`${phase} of ${name} did not start`);
        const result = await start.execution;
        seen.flush();
        if (result.status !== (phase === 'provision' ? 'READY' : 'DELETED'))
          throw new Error(`clean ${phase} of ${name}: ${result.status}`);
      }
    } finally {
      await env.close();
      await dir.cleanup();
    }
  }
  return [...uses.values()].sort((a, b) => `${a.phase}${a.operation}`.localeCompare(`${b.phase}${b.operation}`));
}

const ROUTE53 = /HostedZone|ResourceRecordSets|^GetChange$|VPCWithHostedZone|TagsForResource/;
const transientCode = (op: string) => (ROUTE53.test(op) ? 'Throttling' : 'RequestLimitExceeded');
const terminalCode = (op: string) => (ROUTE53.test(op) ? 'AccessDenied' : 'UnauthorizedOperation');

const uses = await operationsInUse();
const provisionOps = uses.filter((u) => u.phase === 'provision');
const teardownOps = uses.filter((u) => u.phase === 'teardown');
const special = 5;
const planned = provisionOps.length * 2 + teardownOps.length * 2 + special;
let passed = 0;

afterAll(() => {
  console.log(`fault matrix: ${passed}/${planned}`);
  expect(passed).toBe(planned);
});

async function withSandbox<T>(fn: (sandbox: SandboxDir) => Promise<T>, timing: Record<string, number> = {}) {
  const sandbox = await sandboxDir(timing);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.cleanup();
  }
}

async function requestIdOf(name: string): Promise<string> {
  return String((await example(name)).requestId);
}

async function teardown(sandbox: SandboxDir, requestId: string, extra: string[] = []) {
  const run = await sandbox.cli(['teardown', '--request-id', requestId, '--json', ...extra]);
  return { ...run, result: JSON.parse(run.stdout || '{}') as ProvisionResult };
}

/** Nothing of the request: no endpoint, service or zone, and no ingress rule tagged with its id. */
async function expectNothingLeft(sandbox: SandboxDir, requestId: string) {
  expect(await sandbox.inventory()).toEqual(EMPTY);
  const account = await Sandbox.load(sandbox.dir);
  const rules = (await account?.handle('ec2', 'DescribeSecurityGroupRules', {
    Filters: [{ Name: 'tag:privatelink:request-id', Values: [requestId] }],
  })) as { SecurityGroupRules?: unknown[] };
  expect(rules.SecurityGroupRules ?? []).toEqual([]);
}

describe('the operations in use', () => {
  it('are read from clean runs: both phases, EC2 and Route 53', () => {
    const names = uses.map((u) => u.operation);
    for (const op of ['CreateVpcEndpoint', 'CreateHostedZone', 'ChangeResourceRecordSets', 'DeleteVpcEndpoints'])
      expect(names).toContain(op);
    expect(teardownOps.length).toBeGreaterThan(3);
  });
});

describe('provisioning', () => {
  it.each(provisionOps)('$operation transient ($example): READY all the same', async ({ operation, example: name }) => {
    await withSandbox(async (sandbox) => {
      const { code, result, stderr } = await sandbox.provision(name, [
        '--fault',
        `${operation}:${transientCode(operation)}:2`,
      ]);
      expect(code, stderr).toBe(0);
      expect(result.status).toBe('READY');
      // Retried by the state machine (its progress line), or, for throttling the steps repeat themselves
      // (Route 53 writes, the polls of CheckEndpoint), the throttled call made again after its two refusals.
      const repeated = (result.stats?.awsCalls[operation] ?? 0) > 2;
      expect(/retry 1 after/.test(stderr) || repeated, stderr).toBe(true);
      expect((await sandbox.inventory()).endpoints).toHaveLength(1);
    });
    passed++;
  });

  it.each(provisionOps)(
    '$operation terminal ($example): FAILED at $step with the code, nothing left',
    async ({ operation, example: name, step }) => {
      await withSandbox(async (sandbox) => {
        const code = terminalCode(operation);
        const run = await sandbox.provision(name, ['--fault', `${operation}:${code}:1`]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.result.status).toBe('FAILED');
        expect(run.result.error).toMatchObject({ code, step });
        expect(run.result.error?.message).toContain(operation);
        await expectNothingLeft(sandbox, await requestIdOf(name));
      });
      passed++;
    },
  );
});

describe('teardown', () => {
  it.each(teardownOps)(
    '$operation transient ($example): DELETED all the same',
    async ({ operation, example: name }) => {
      await withSandbox(async (sandbox) => {
        expect((await sandbox.provision(name)).code).toBe(0);
        const id = await requestIdOf(name);
        const { code, result, stderr } = await teardown(sandbox, id, [
          '--fault',
          `${operation}:${transientCode(operation)}:2`,
        ]);
        expect(code, stderr).toBe(0);
        expect(result.status).toBe('DELETED');
        // retried by the state machine, or repeated inside the step (removal repeats throttled calls in place)
        const repeated = (result.stats?.awsCalls[operation] ?? 0) > 2;
        expect(/retry 1 after/.test(stderr) || repeated, stderr).toBe(true);
        await expectNothingLeft(sandbox, id);
      });
      passed++;
    },
  );

  it.each(teardownOps)(
    '$operation terminal ($example): FAILED clearly, a second teardown finishes the job',
    async ({ operation, example: name }) => {
      await withSandbox(async (sandbox) => {
        expect((await sandbox.provision(name)).code).toBe(0);
        const id = await requestIdOf(name);
        const code = terminalCode(operation);
        const failed = await teardown(sandbox, id, ['--fault', `${operation}:${code}:1`]);
        expect(failed.code, failed.stderr).toBe(1);
        expect(failed.result).toMatchObject({ status: 'FAILED', error: { code, step: 'RemoveResources' } });
        expect(failed.result.error?.message).toContain(operation);
        const again = await teardown(sandbox, id);
        expect(again.code, again.stderr).toBe(0);
        expect(again.result.status).toBe('DELETED');
        await expectNothingLeft(sandbox, id);
      });
      passed++;
    },
  );
});

describe('beyond AWS error codes', () => {
  it.each([
    { fault: 'endpoint:failed', code: 'EndpointFailed', name: 'atlas-replica-set.json' },
    { fault: 'endpoint:rejected', code: 'EndpointRejected', name: 'pinecone-index.json' },
  ])('$fault: FAILED with $code at CheckEndpoint, nothing left', async ({ fault, code, name }) => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.provision(name, ['--fault', fault]);
      expect(run.code).toBe(1);
      expect(run.result.error).toMatchObject({ code, step: 'CheckEndpoint' });
      await expectNothingLeft(sandbox, await requestIdOf(name));
    });
    passed++;
  });

  it('the deadline expiring while the endpoint is pending: FAILED, nothing left', async () => {
    await withSandbox(
      async (sandbox) => {
        const run = await sandbox.provision('atlas-replica-set.json');
        expect(run.code).toBe(1);
        expect(run.result.error).toMatchObject({ code: 'EndpointDeadlineExceeded', step: 'CheckEndpoint' });
        expect(run.result.stats?.simulatedSeconds).toBeGreaterThan(3600);
        await expectNothingLeft(sandbox, 'cluster0-app-prod');
      },
      { endpointAvailableAfterSeconds: 5000 },
    );
    passed++;
  });

  it('an error code the adapters do not know: FAILED with that code, nothing left', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.provision('orders-nlb-tcp.json', [
        '--fault',
        'CreateVpcEndpoint:SomethingNobodyExpected:1',
      ]);
      expect(run.code).toBe(1);
      expect(run.result.error).toMatchObject({ code: 'SomethingNobodyExpected', step: 'CreateInterfaceEndpoint' });
      await expectNothingLeft(sandbox, 'orders-db-app');
    });
    passed++;
  });

  it('a handler throwing a TypeError: FAILED naming the step, no stack printed, nothing left', async () => {
    const original = FUNCTIONS.upsertDnsRecords;
    FUNCTIONS.upsertDnsRecords = async () => ({
      handler: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'hostedZoneId')");
      },
    });
    try {
      await withSandbox(async (sandbox) => {
        const run = await sandbox.provision('atlas-replica-set.json');
        expect(run.code).toBe(1);
        expect(run.result.error).toMatchObject({ code: 'TypeError', step: 'UpsertDnsRecords' });
        // the bug's own text describes our code, not the request: it stays in the logs
        expect(run.result.error?.message).not.toContain('hostedZoneId');
        expect(run.result.error?.message).toMatch(/unexpected TypeError/);
        expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
        await expectNothingLeft(sandbox, 'cluster0-app-prod');
      });
    } finally {
      FUNCTIONS.upsertDnsRecords = original as NonNullable<typeof original>;
    }
    passed++;
  });
});
