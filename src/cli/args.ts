// Command-line parsing: every command takes --json and the options of where it runs.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError' as const;
}

export const USAGE = `Usage: privatelink <command> [options]

Commands:
  provision --request FILE                 run the provisioning workflow; progress on stderr, then the result
  status --request-id ID                   the result as it stands
  teardown --request-id ID                 run the teardown workflow: remove everything the request made
  finalize --request-id ID --endpoint-id VPCE  report the other party's endpoint to a request that waits for it
  serve [--port 3000]                      the HTTP API and the Slack webhook on 127.0.0.1, over the sandbox or --aws
  sandbox inventory                        every resource in the sandbox account
  sandbox advance --seconds N              move the sandbox's simulated clock N seconds on (e.g. past a deadline)

Options (every command):
  --json                   machine output on stdout (progress stays on stderr)
  --sandbox-state DIR      the sandbox's state directory (default .privatelink)
  --sandbox-seed FILE      seed for a new sandbox (default examples/sandbox-seed.json)
  --aws                    use AWS (standard credential chain; honours AWS_ENDPOINT_URL)
  --fault OP:CODE[:COUNT]  sandbox only, repeatable: make the first COUNT calls of OP fail with CODE;
                           --fault endpoint:failed | endpoint:rejected
  --reset                  start the sandbox afresh from its seed

Exit codes: 0 ready or done, 1 the workflow failed, 2 the request or the command line is invalid.`;

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface CliArgs {
  command: string[];
  json: boolean;
  request?: string;
  requestId?: string;
  endpointId?: string;
  port?: number;
  seconds?: number;
  stateDir?: string;
  seedFile?: string;
  aws: boolean;
  faults: string[];
  reset: boolean;
  help: boolean;
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const requestId = values['request-id'];
  // Ids name files and executions: refuse anything but the contract's alphabet (no paths, no newlines).
  if (requestId !== undefined && !REQUEST_ID.test(requestId))
    throw new UsageError(`--request-id must be 1-64 characters of A-Z, a-z, 0-9, _ and -`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new UsageError(`--port must be a port number, not ${values.port}`);
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0 && values.seconds?.trim() !== ''))
    throw new UsageError(`--seconds must be a positive number of seconds, not ${values.seconds}`);
  return {
    command: positionals,
    json: values.json ?? false,
    ...(values.request !== undefined && { request: values.request }),
    ...(values['request-id'] !== undefined && { requestId: values['request-id'] }),
    ...(values['endpoint-id'] !== undefined && { endpointId: values['endpoint-id'] }),
    ...(port !== undefined && { port }),
    ...(seconds !== undefined && { seconds }),
    ...(values['sandbox-state'] !== undefined && { stateDir: values['sandbox-state'] }),
    ...(values['sandbox-seed'] !== undefined && { seedFile: values['sandbox-seed'] }),
    aws: values.aws ?? false,
    faults: values.fault ?? [],
    reset: values.reset ?? false,
    help: values.help ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      request: { type: 'string' },
      'request-id': { type: 'string' },
      'endpoint-id': { type: 'string' },
      port: { type: 'string' },
      seconds: { type: 'string' },
      'sandbox-state': { type: 'string' },
      'sandbox-seed': { type: 'string' },
      aws: { type: 'boolean' },
      fault: { type: 'string', multiple: true },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
