// `privatelink provision` for people: progress on stderr, the result on stdout, and no silent
// surprises when the request exists already.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxDir, sandboxDir } from '../support/cli.ts';

let sandbox: SandboxDir;
beforeAll(async () => {
  sandbox = await sandboxDir();
});
afterAll(async () => {
  await sandbox.cleanup();
});

describe('privatelink provision', () => {
  it('prints one progress line per step on stderr and the result on stdout', async () => {
    const run = await sandbox.cli(['provision', '--request', 'examples/atlas-replica-set.json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n')[0]).toMatch(
      /^privatelink: provisioning cluster0-app-prod in us-east-1 on the sandbox/,
    );
    for (const step of [
      'EnsureEndpointService',
      'CreateInterfaceEndpoint',
      'CheckEndpoint',
      'UpsertDnsRecords',
      'Finalize',
    ])
      expect(run.stderr).toMatch(new RegExp(`^\\[\\s*\\d+\\.\\ds\\] ${step}\\s`, 'm'));
    expect(run.stdout.split('\n')[0]).toBe('READY cluster0-app-prod');
    expect(run.stdout).toMatch(/^ {2}srv {8}mongodb\+srv:\/\/cluster0-pl-0-k45tj\.mongodb\.net\/$/m);
  });

  it('the same request again runs nothing, says so, and says a --fault was not used', async () => {
    const run = await sandbox.cli([
      ...['provision', '--request', 'examples/atlas-replica-set.json'],
      ...['--fault', 'CreateVpcEndpoint:VpcEndpointLimitExceeded'],
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('privatelink: cluster0-app-prod exists already (READY); nothing was run again');
    expect(run.stderr).toContain('--fault CreateVpcEndpoint:VpcEndpointLimitExceeded was not used');
    expect(run.stdout.split('\n')[0]).toBe('READY cluster0-app-prod');
  });

  it('a fault on an operation the sandbox does not answer is refused, exit 2', async () => {
    const run = await sandbox.cli([
      ...['provision', '--request', 'examples/orders-nlb-tcp.json'],
      ...['--fault', 'CreateVpcEndpont:Boom'],
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CreateVpcEndpont');
    expect((await sandbox.inventory()).endpoints).toHaveLength(1);
  });
});
