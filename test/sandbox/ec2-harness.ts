// An Ec2Sim behind a real SDK EC2 client, for tests that also play the vendor and the other party
// (Ec2Sim's own methods) on the same simulated account. The client's middleware answers at the
// `initialize` step as the Sandbox's does, so the SDK's command classes and error types are the real ones.
import { createHash } from 'node:crypto';
import { EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { expect } from 'vitest';
import type { SimContext } from '../../src/core/sandbox/context.ts';
import { Ec2Sim, type Ec2State, type EndpointFate, emptyEc2State } from '../../src/core/sandbox/ec2.ts';
import { parseSeed, type SandboxSeedInput } from '../../src/core/sandbox/seed.ts';

export interface Ec2Harness {
  sim: Ec2Sim;
  state: Ec2State;
  client(region?: string): EC2Client;
  advance(seconds: number): void;
  now(): number;
  setFate(fate: EndpointFate | undefined): void;
  /** A new Ec2Sim over a JSON round trip of the state, as a second process reading sandbox.json would. */
  reload(edit?: (json: Record<string, unknown>) => void): Ec2Harness;
}

export function ec2Harness(seedInput: SandboxSeedInput): Ec2Harness {
  const seed = parseSeed(seedInput);
  const clock = { ms: Date.UTC(2026, 0, 1), ids: 0 };
  let fate: EndpointFate | undefined;
  const ctx: SimContext = {
    accountId: seed.accountId,
    timing: seed.timing,
    now: () => clock.ms,
    newId: (prefix, hexLength) => {
      clock.ids += 1;
      const digest = createHash('sha256').update(`${seed.accountId}:${prefix}:${clock.ids}`).digest('hex');
      return `${prefix}-${digest.slice(0, hexLength)}`;
    },
  };
  const build = (state: Ec2State): Ec2Harness => {
    const sim = new Ec2Sim(ctx, state, { seed, endpointFate: () => fate });
    return {
      sim,
      state,
      client(region = 'us-east-1') {
        const client = new EC2Client({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
        client.middlewareStack.add(
          (_next, context) => async (args) => {
            const operation = (context.commandName ?? '').replace(/Command$/, '');
            const output = sim.handle(operation, structuredClone(args.input), region);
            return {
              output: { ...structuredClone(output as object), $metadata: { httpStatusCode: 200 } },
              response: {},
            };
          },
          { step: 'initialize', name: 'ec2Harness', priority: 'high' },
        );
        return client;
      },
      advance(seconds) {
        clock.ms += seconds * 1000;
      },
      now: () => clock.ms,
      setFate(next) {
        fate = next;
      },
      reload: (edit) => {
        const json = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
        edit?.(json);
        return build(json as unknown as Ec2State);
      },
    };
  };
  return build(emptyEc2State());
}

/** The EC2 error code a call rejects with, failing the test if it succeeds or throws something else. */
export async function ec2Code(call: Promise<unknown>): Promise<string> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(EC2ServiceException);
  return (outcome as EC2ServiceException).name;
}
