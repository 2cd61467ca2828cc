// With --json every outcome is one JSON object on stdout, errors included ({ "error": { "code",
// "message" } }), whatever went wrong: the command line, an unknown id, a missing file, a refusal.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type SandboxDir, sandboxDir } from '../support/cli.ts';

let sandbox: SandboxDir;
beforeAll(async () => {
  sandbox = await sandboxDir();
});
afterAll(async () => {
  await sandbox.cleanup();
});

/** The run's stdout is exactly one JSON value. */
function oneJson(stdout: string): unknown {
  expect(stdout.trim()).not.toBe('');
  return JSON.parse(stdout);
}

describe('--json errors', () => {
  it.each([
    ['an unknown command', ['provison'], 'UnknownCommand'],
    ['a group without its subcommand', ['sandbox'], 'UnknownCommand'],
    ['an unknown flag', ['provision', '--request', 'x.json', '--bogus'], 'UnknownOption'],
    ["another command's flag", ['status', '--request', 'x.json'], 'UnknownOption'],
    ['a flag without its value', ['provision', '--request'], 'MissingOption'],
    ['a missing required flag', ['status'], 'MissingOption'],
    ['a bad request id', ['status', '--request-id', '../etc'], 'InvalidOption'],
    ['a bad port', ['serve', '--port', '70000'], 'InvalidOption'],
    ['an unknown request id (status)', ['status', '--request-id', 'nobody-asked'], 'NotFound'],
    ['an unknown request id (teardown)', ['teardown', '--request-id', 'nobody-asked'], 'NotFound'],
    ['a request file that does not exist', ['provision', '--request', 'does/not/exist.json'], 'CannotReadRequest'],
    ['a directory as the request file', ['provision', '--request', 'examples'], 'CannotReadRequest'],
    [
      'finalize with nothing waiting',
      ['finalize', '--request-id', 'nobody', '--endpoint-id', 'vpce-0123456789abcdef0'],
      'NotWaitingForConsumer',
    ],
    ['resolve with --aws', ['resolve', 'a.example.com', '--aws'], 'SandboxOnly'],
    [
      'an invalid --fault',
      ['provision', '--request', 'examples/atlas-replica-set.json', '--fault', 'CreateVpcEndpoint'],
      'InvalidCommandLine',
    ],
    [
      'a vendor action on no endpoint',
      ['sandbox', 'vendor', 'accept', '--endpoint-id', 'vpce-0123456789abcdef0'],
      'VendorActionError',
    ],
    [
      'a consumer for an unknown request',
      ['sandbox', 'consumer', 'create-endpoint', '--request-id', 'nobody'],
      'NotFound',
    ],
  ])('%s: exit 2 and one error object', async (_what, argv, code) => {
    const run = await sandbox.cli([...argv, '--json']);
    expect(run.code, run.stderr).toBe(2);
    const out = oneJson(run.stdout) as { error: { code: string; message: string } };
    expect(out.error.code).toBe(code);
    expect(typeof out.error.message).toBe('string');
    expect(out.error.message.length).toBeGreaterThan(10);
    // The same message, for people, on stderr.
    expect(run.stderr).toContain(out.error.message.split('\n')[0]);
  });

  it('an invalid request: the issues as sentences, and nothing created', async () => {
    const file = join(sandbox.dir, '..', 'bad.json');
    await writeFile(file, JSON.stringify({ region: 'us-east-1', consumer: { vpcId: 'vpc-1' } }));
    const run = await sandbox.cli(['provision', '--request', file, '--json']);
    expect(run.code).toBe(2);
    const out = oneJson(run.stdout) as { error: { code: string; message: string; issues: { path: string }[] } };
    expect(out.error.code).toBe('InvalidRequest');
    expect(out.error.issues.map((i) => i.path)).toContain('service');
    expect(out.error.message).toContain('nothing was created');
    expect(run.stderr).toContain('`service` is required');
    expect((await sandbox.inventory()).endpoints).toEqual([]);
  });

  it('an unknown id that a state directory under this one knows names it (the demo’s state, say)', async () => {
    const demo = join(sandbox.dir, 'demo');
    const made = await runCli([
      ...['provision', '--request', 'examples/atlas-replica-set.json'],
      ...['--sandbox-state', demo, '--sandbox-seed', sandbox.seed],
    ]);
    expect(made.code, made.stderr).toBe(0);
    const run = await sandbox.cli(['status', '--request-id', 'cluster0-app-prod', '--json']);
    expect(run.code).toBe(2);
    expect((oneJson(run.stdout) as { error: { message: string } }).error.message).toBe(
      `no request cluster0-app-prod in ${sandbox.dir} (${demo} knows it: add --sandbox-state ${demo})`,
    );
  });

  it('a request file that is not JSON', async () => {
    const file = join(sandbox.dir, '..', 'not-json.json');
    await writeFile(file, '{ "region": ');
    const run = await sandbox.cli(['provision', '--request', file, '--json']);
    expect(run.code).toBe(2);
    const out = oneJson(run.stdout) as { error: { code: string; message: string } };
    expect(out.error).toMatchObject({ code: 'CannotReadRequest' });
    expect(out.error.message).toContain('it is not JSON');
  });
});

describe('--json successes', () => {
  it('version, help, list, inventory and advance each print one JSON value', async () => {
    for (const argv of [['--version'], ['help'], ['help', 'resolve'], ['help', 'provison']]) {
      const run = await runCli([...argv, '--json']);
      expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(argv[1] === 'provison' ? 2 : 0);
      oneJson(run.stdout);
    }
    for (const argv of [['list'], ['sandbox', 'inventory'], ['sandbox', 'advance', '--seconds', '5']]) {
      const run = await sandbox.cli([...argv, '--json']);
      expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(0);
      oneJson(run.stdout);
    }
  });

  it('provision: progress on stderr, the result alone on stdout', async () => {
    const run = await sandbox.provision('atlas-replica-set.json');
    expect(run.code).toBe(0);
    expect(run.result.status).toBe('READY');
    expect(run.stderr).toContain('CheckEndpoint');
    const status = await sandbox.cli(['status', '--request-id', run.result.requestId, '--json']);
    expect(JSON.parse(status.stdout)).toEqual(run.result);
  });
});
