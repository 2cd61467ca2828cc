// Which AWS calls each Lambda function makes, observed rather than read from the source: every example request
// is provisioned and torn down on the sandbox (plus one external-consumer hand-off), with a middleware on every
// SDK client (src/core/aws/clients.ts) that attributes each command to the function whose handler is running.
// The local runner binds each Task to its function's handler module through FUNCTIONS
// (src/core/runner/functions.ts); here each handler runs inside an AsyncLocalStorage scope named after it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readdir } from 'node:fs/promises';
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import type { HandlerExecutionContext, InitializeHandlerArguments } from '@smithy/types';
import { handOffFor } from '../../src/core/app/hand-off.ts';
import { onAtlasRequest } from '../../src/core/atlas-transport.ts';
import { ec2Client, onClientCreated } from '../../src/core/aws/clients.ts';
import { FUNCTIONS } from '../../src/core/runner/functions.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { ROOT } from './packaged.ts';

/** The IAM service prefix of each SDK client the steps use. */
const IAM_PREFIX: Record<string, string> = { EC2Client: 'ec2', Route53Client: 'route53' };
const RECORDER = 'privatelinkRecordCalls';

export interface RecordedCalls {
  /** function logical name → IAM actions it called (`ec2:CreateVpcEndpoint`) */
  byFunction: Record<string, Set<string>>;
  /** calls made outside any function (the test's own set-up), by action */
  outside: Set<string>;
  /** what was run, for messages */
  runs: string[];
}

function record(calls: RecordedCalls, fn: string | undefined, action: string): void {
  if (fn === undefined) {
    calls.outside.add(action);
    return;
  }
  const actions = calls.byFunction[fn] ?? new Set<string>();
  actions.add(action);
  calls.byFunction[fn] = actions;
}

async function check(run: { code: number; stderr: string }, what: string): Promise<void> {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}:\n${run.stderr}`);
}

/** Provisions and tears down `request` (a file in examples/ or an object) on `sandbox`. */
async function roundTrip(sandbox: SandboxDir, request: string | object, requestId: string): Promise<void> {
  await check(await sandbox.provision(request), `provision ${requestId}`);
  await check(await sandbox.cli(['teardown', '--request-id', requestId, '--json']), `teardown ${requestId}`);
}

/**
 * The other party's side of consumer.external, played in our own account so the test's client can make
 * its endpoint: wait for the hand-off, create the endpoint, report it, then tear the request down.
 */
async function externalConsumer(sandbox: SandboxDir, exampleFile: string, requestId: string): Promise<void> {
  const request = await example(exampleFile);
  const provisioning = sandbox.provision({
    ...request,
    requestId,
    consumer: { external: { accountId: '111122223333' } },
  });
  const handOff = handOffFor(sandbox.dir);
  let waitingFor: { serviceName?: string } | undefined;
  for (let i = 0; i < 400 && !waitingFor?.serviceName; i++) {
    waitingFor = await handOff.waitingFor(requestId);
    if (!waitingFor?.serviceName) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!waitingFor?.serviceName) throw new Error(`${requestId} never waited for its consumer`);
  // The other party's call, made outside every function: recorded as `outside`, granted to no role.
  const created = await ec2Client('us-east-1').send(
    new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-0a1b2c3d4e5f67890',
      ServiceName: waitingFor.serviceName,
      SubnetIds: ['subnet-0a1b2c3d4e5f67890'],
    }),
  );
  // What `privatelink finalize` does (a second CLI environment would open the same sandbox a second time).
  await handOff.complete(requestId, { endpointId: created.VpcEndpoint?.VpcEndpointId ?? '' });
  await check(await provisioning, `provision ${requestId}`);
  await check(await sandbox.cli(['teardown', '--request-id', requestId, '--json']), `teardown ${requestId}`);
}

/** A request whose endpoint fails in the sandbox: the provisioning workflow's Compensate path runs. */
async function compensated(sandbox: SandboxDir): Promise<void> {
  const orders = await example('orders-nlb-tcp.json');
  const run = await sandbox.provision({ ...orders, requestId: 'orders-compensated-iam' }, [
    '--fault',
    'endpoint:failed',
  ]);
  if (run.result.status !== 'FAILED') throw new Error(`expected FAILED, got ${run.result.status}:\n${run.stderr}`);
}

export async function recordWorkflowCalls(): Promise<RecordedCalls> {
  const calls: RecordedCalls = { byFunction: {}, outside: new Set(), runs: [] };
  const running = new AsyncLocalStorage<string>();
  const originals = { ...FUNCTIONS };
  for (const [name, load] of Object.entries(originals))
    FUNCTIONS[name] = async () => {
      const { handler } = await load();
      return { handler: (event: unknown) => running.run(name, () => handler(event)) };
    };
  const unhook = onClientCreated((client) => {
    const service = IAM_PREFIX[client.constructor.name];
    if (!service) throw new Error(`no IAM prefix for ${client.constructor.name}`);
    // `initialize`, high priority, added before the sandbox's: sees every command, even those it answers.
    (client.middlewareStack as unknown as { add: (mw: unknown, options: object) => void }).add(
      (next: (args: InitializeHandlerArguments<object>) => Promise<unknown>, context: HandlerExecutionContext) =>
        (args: InitializeHandlerArguments<object>) => {
          record(calls, running.getStore(), `${service}:${(context.commandName ?? '').replace(/Command$/, '')}`);
          return next(args);
        },
      { step: 'initialize', priority: 'high', name: RECORDER, override: true },
    );
  });
  // In AWS every Atlas call needs the service account's secret first (the sandbox swaps in its own account).
  const unhookAtlas = onAtlasRequest(() => record(calls, running.getStore(), 'secretsmanager:GetSecretValue'));
  const sandbox = await sandboxDir();
  try {
    const examples = (await readdir(`${ROOT}examples`)).filter((f) => f.endsWith('.json') && !f.includes('seed'));
    for (const file of examples.sort()) {
      const request = (await example(file)) as { requestId: string; consumer: object };
      // Hand-offs wait for the other party: externalConsumer below plays it.
      if ('external' in request.consumer) continue;
      // One id per file: two examples may share a request id (they are alternatives, never run side by side).
      const requestId = file.replace(/\.json$/, '');
      await roundTrip(sandbox, { ...request, requestId }, requestId);
      calls.runs.push(`provision + teardown ${file}`);
    }
    await externalConsumer(sandbox, 'orders-nlb-tcp.json', 'orders-partner-iam');
    calls.runs.push('external consumer: provision, finalize, teardown');
    await externalConsumer(sandbox, 'hevo-atlas-hand-off.json', 'hevo-atlas-iam');
    calls.runs.push('Atlas hand-off: provision, finalize, teardown');
    await compensated(sandbox);
    calls.runs.push('provision with a failed endpoint, compensated');
  } finally {
    unhook();
    unhookAtlas();
    Object.assign(FUNCTIONS, originals);
    await sandbox.cleanup();
  }
  return calls;
}
