// What the workflow benches share: a seed with chosen timings, runs on one Environment, figures read
// off the sandbox (call counts by service, throttled answers, GetChange answers on the simulated clock).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import type { Environment } from '../src/core/app/environment.ts';
import { onClientCreated } from '../src/core/aws/clients.ts';
import { FileExecutionStore } from '../src/core/runner/execution-store.ts';
import { loadSeed, ROUTE53_OPERATIONS, Sandbox } from '../src/core/sandbox/index.ts';

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
export const spread = (values: number[], digits = 1) =>
  values.length === 0
    ? '-'
    : `${Math.min(...values).toFixed(digits)} / ${median(values).toFixed(digits)} / ${Math.max(...values).toFixed(digits)}`;

/** The project's default seed with `timing` merged in, and every vendor accepting after `vendorAcceptsAfterSeconds`. */
export async function benchSeed(
  dir: string,
  timing: Record<string, number>,
  options: {
    vendorAcceptsAfterSeconds?: number;
    atlasTiming?: Record<string, number>;
    /** EC2 request limits AWS raised for the account (seed ec2RequestLimits) */
    ec2RequestLimits?: Record<string, { capacity: number; refillPerSecond: number }>;
  } = {},
): Promise<string> {
  const seed = JSON.parse(await readFile('examples/sandbox-seed.json', 'utf8'));
  seed.timing = { ...(seed.timing ?? {}), ...timing };
  for (const service of seed.endpointServices as { acceptanceRequired?: boolean; vendorAcceptsAfterSeconds?: number }[])
    if (service.acceptanceRequired !== false)
      service.vendorAcceptsAfterSeconds = options.vendorAcceptsAfterSeconds ?? 30;
  if (options.atlasTiming && seed.atlas) seed.atlas.timing = { ...seed.atlas.timing, ...options.atlasTiming };
  if (options.ec2RequestLimits) seed.ec2RequestLimits = options.ec2RequestLimits;
  const file = join(
    dir,
    `seed-${Object.values(timing).join('-')}-${Object.keys(options.ec2RequestLimits ?? {}).length}.json`,
  );
  await writeFile(file, JSON.stringify(seed));
  return file;
}

export type Service = 'ec2' | 'route53' | 'atlas';

export function serviceOf(operation: string): Service {
  if (operation.startsWith('atlas:')) return 'atlas';
  return ROUTE53_OPERATIONS.includes(operation) ? 'route53' : 'ec2';
}

export function byService(calls: Record<string, number>): Record<Service, number> {
  const out: Record<Service, number> = { ec2: 0, route53: 0, atlas: 0 };
  for (const [op, n] of Object.entries(calls)) out[serviceOf(op)] += n;
  return out;
}

export function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) if (n - (before[op] ?? 0) > 0) out[op] = n - (before[op] ?? 0);
  return out;
}

/** What the SDK clients saw: throttled answers by operation, and when each GetChange answered INSYNC. */
export interface CallWatch {
  throttled: Record<string, number>;
  insyncAt: number[];
  stop(): void;
}

const THROTTLES = new Set(['Throttling', 'RequestLimitExceeded', 'ThrottlingException']);

/** Watches every SDK call just outside the sandbox's own middleware (which answers without going further). */
export function watchCalls(now: () => number): CallWatch {
  const watch: CallWatch = { throttled: {}, insyncAt: [], stop: () => undefined };
  const name = 'privatelinkBenchWatch';
  const unhook = onClientCreated((client) => {
    const stack = client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>;
    stack.addRelativeTo(
      (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
        async (args: InitializeHandlerArguments<object>) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          try {
            const out = await next(args);
            const status = (out.output as { ChangeInfo?: { Status?: string } }).ChangeInfo?.Status;
            if (operation === 'GetChange' && status === 'INSYNC') watch.insyncAt.push(now());
            return out;
          } catch (error) {
            const code = (error as { name?: string }).name ?? '';
            if (THROTTLES.has(code)) watch.throttled[operation] = (watch.throttled[operation] ?? 0) + 1;
            throw error;
          }
        },
      { relation: 'before', toMiddleware: 'privatelinkSandbox', name, override: true },
    );
  });
  watch.stop = unhook;
  return watch;
}

/**
 * An Environment whose sandbox lives in this process only: every run of the bench shares it (one
 * account, one clock), and no call pays for the state file's lock, read and write that let several
 * processes share a sandbox directory (that cost is the CLI's, not the workflow's). Executions are
 * recorded in `stateDir` as usual.
 */
export async function memoryEnvironment(stateDir: string, seedFile: string): Promise<Environment> {
  const sandbox = Sandbox.fromSeed(await loadSeed(seedFile));
  const detach = sandbox.attach();
  return {
    kind: 'sandbox',
    stateDir,
    store: new FileExecutionStore(stateDir),
    sandbox,
    save: async () => undefined,
    close: async () => detach(),
  };
}
