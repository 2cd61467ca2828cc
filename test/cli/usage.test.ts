// Mistakes on the command line: the nearest valid command or flag is named, each command refuses the
// flags it does not take (naming those it does), and Node's parser never speaks to the user.
import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../src/cli/suggest.ts';
import { runCli } from '../support/cli.ts';

describe('nearest', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('provision', 'provision')).toBe(0);
    expect(editDistance('provison', 'provision')).toBe(1);
    expect(editDistance('porvision', 'provision')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the closest candidate when it is close enough, and nothing otherwise', () => {
    const commands = ['provision', 'status', 'teardown', 'finalize', 'list'];
    expect(nearest('provison', commands)).toBe('provision');
    expect(nearest('stauts', commands)).toBe('status');
    expect(nearest('prov', commands)).toBe('provision');
    expect(nearest('tear', commands)).toBe('teardown');
    expect(nearest('deploy', commands)).toBeUndefined();
    expect(nearest('x', commands)).toBeUndefined();
    expect(nearest('anything', [])).toBeUndefined();
  });
});

/** A run refused on the command line: exit 2, the message on stderr, nothing on stdout. */
async function refused(argv: string[]) {
  const run = await runCli(argv);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  // Node's parseArgs wording never reaches the user.
  expect(run.stderr).not.toMatch(/ERR_PARSE_ARGS|To specify an option argument|To specify a positional argument/);
  return run.stderr;
}

describe('an unknown command', () => {
  it.each([
    [['provison'], 'provison', "Did you mean 'provision'?"],
    [['stauts', '--request-id', 'x'], 'stauts', "Did you mean 'status'?"],
    [['lsit'], 'lsit', "Did you mean 'list'?"],
    [['resolv', 'a.example.com'], 'resolv a.example.com', "Did you mean 'resolve'?"],
    [['sandbox', 'inventroy'], 'sandbox inventroy', "Did you mean 'sandbox inventory'?"],
    [['sandbox', 'vendr', 'accept'], 'sandbox vendr accept', "Did you mean 'sandbox vendor accept'?"],
    [
      ['sandbox', 'consumer', 'create-endpiont', '--request-id', 'x'],
      'sandbox consumer create-endpiont',
      "Did you mean 'sandbox consumer create-endpoint'?",
    ],
  ])('%j names the nearest command', async (argv, typed, hint) => {
    const stderr = await refused(argv);
    expect(stderr).toContain(`unknown command: ${typed}.`);
    expect(stderr).toContain(hint);
  });

  it('a command group alone names its subcommands', async () => {
    expect(await refused(['sandbox'])).toContain(
      'sandbox needs one of: inventory, advance, vendor accept, vendor reject, consumer create-endpoint',
    );
    expect(await refused(['sandbox', 'vendor'])).toContain('sandbox vendor needs one of: accept, reject');
  });

  it('something unlike any command suggests nothing and points at help', async () => {
    const stderr = await refused(['deploy-everything']);
    expect(stderr).not.toContain('Did you mean');
    expect(stderr).toContain("Run 'privatelink help' for the commands.");
  });
});

describe('flags', () => {
  it('an unknown flag names the nearest flag of that command, and all it takes', async () => {
    const stderr = await refused(['provision', '--requets', 'examples/atlas-replica-set.json']);
    expect(stderr).toContain("Unknown option '--requets' for provision. Did you mean --request?");
    expect(stderr).toContain('provision takes --request FILE, --fault OP:CODE[:COUNT], --reset');
    expect(stderr).toContain('Usage: privatelink provision --request FILE');
    expect(stderr).toContain("See 'privatelink help provision'.");
  });

  it("another command's flag is refused, saying which command takes it", async () => {
    const stderr = await refused(['status', '--request', 'examples/atlas-replica-set.json']);
    expect(stderr).toContain('status does not take --request (provision, plan do). Did you mean --request-id?');
    const fault = await refused(['status', '--request-id', 'x', '--fault', 'CreateVpcEndpoint:Throttling']);
    expect(fault).toContain('status does not take --fault (provision, teardown, serve do)');
    expect(await refused(['list', '--port', '3000'])).toContain('list does not take --port (serve does)');
  });

  it('a flag without its value says what value it needs', async () => {
    expect(await refused(['provision', '--request'])).toContain("Option '--request' needs a value: --request FILE");
    expect(await refused(['status', '--request-id', '--aws'])).toContain(
      "Option '--request-id' needs a value: --request-id ID",
    );
  });

  it('a switch given a value, a flag given twice, and a missing required flag are refused', async () => {
    expect(await refused(['list', '--json=yes'])).toContain("Option '--json' takes no value");
    expect(await refused(['status', '--request-id', 'a', '--request-id', 'b'])).toContain(
      "Option '--request-id' is given twice",
    );
    expect(await refused(['finalize', '--request-id', 'a'])).toContain('finalize needs --endpoint-id VPCE');
    expect(await refused(['finalize'])).toContain('finalize needs --request-id ID --endpoint-id VPCE');
    expect(await refused(['resolve'])).toContain('resolve needs NAME');
  });

  it('values are checked before anything opens', async () => {
    expect(await refused(['status', '--request-id', '../x'])).toContain('--request-id must be 1-64 characters');
    expect(await refused(['resolve', 'a.example.com', '--type', 'MX'])).toContain(
      '--type must be one of A, SRV, TXT, CNAME, not MX',
    );
    expect(await refused(['resolve', 'a.example.com', '--vpc', 'vpc-1'])).toContain('--vpc must be a VPC id');
    expect(await refused(['sandbox', 'vendor', 'accept', '--endpoint-id', 'vpce-zz'])).toContain(
      '--endpoint-id must be an endpoint id',
    );
    expect(await refused(['sandbox', 'advance', '--seconds', '-5'])).toContain(
      '--seconds must be a positive number of seconds, not -5',
    );
    expect(await refused(['sandbox', 'advance', '--seconds', 'soon'])).toContain(
      '--seconds must be a positive number of seconds, not soon',
    );
  });

  it('extra words after a command are refused', async () => {
    expect(await refused(['list', 'everything'])).toContain("list takes no arguments, not 'everything'");
    expect(await refused(['resolve', 'a.example.com', 'b.example.com'])).toContain('resolve takes one NAME');
  });

  it('--version belongs to privatelink itself, not to a command', async () => {
    expect(await refused(['list', '--version'])).toContain(
      "list does not take --version: 'privatelink --version' prints the version",
    );
    expect(await refused(['--verison'])).toContain('Did you mean --version?');
  });

  it('sandbox-only commands refuse --aws before opening anything', async () => {
    for (const argv of [
      ['resolve', 'a.example.com', '--aws'],
      ['sandbox', 'inventory', '--aws'],
      ['sandbox', 'vendor', 'accept', '--endpoint-id', 'vpce-0123456789abcdef0', '--aws'],
      ['sandbox', 'consumer', 'create-endpoint', '--request-id', 'x', '--aws'],
    ])
      expect(await refused(argv)).toContain('works on the sandbox only, not with --aws');
  });
});
