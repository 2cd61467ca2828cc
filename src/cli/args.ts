// Command-line parsing. Our own small parser rather than node:util's parseArgs, so every mistake is
// told in the project's words, for the command at hand, with the nearest valid word.
import {
  COMMON_FLAGS,
  FLAG_NAMES,
  FLAGS,
  type FlagName,
  type FlagSpec,
  flagSynopsis,
  isFlagName,
  WHERE_FLAGS,
} from './flags.ts';
import { editDistance, nearest } from './suggest.ts';

/** The command line is wrong; nothing ran. `code` is what --json reports. */
export class UsageError extends Error {
  override readonly name = 'UsageError' as const;
  constructor(
    message: string,
    readonly code = 'InvalidCommandLine',
    /** the command it concerns, so its usage can be shown */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface CliArgs {
  /** the command's words, e.g. ['sandbox', 'vendor', 'accept']; empty for none */
  command: string[];
  /** words after the command (resolve's NAME, help's topic) */
  positionals: string[];
  json: boolean;
  request?: string;
  requestId?: string;
  endpointId?: string;
  /** finalize: the other party's endpoint's DNS name, as it reports it */
  dnsName?: string;
  port?: number;
  seconds?: number;
  type?: 'A' | 'SRV' | 'TXT' | 'CNAME';
  vpc?: string;
  stateDir?: string;
  seedFile?: string;
  aws: boolean;
  faults: string[];
  reset: boolean;
  repair: boolean;
  help: boolean;
  version: boolean;
}

/** What a command accepts, as the parser needs it (the catalog's CommandSpec satisfies this). */
export interface CommandShape {
  name: string;
  flags: readonly FlagName[];
  required?: readonly FlagName[];
  positional?: { name: string };
  runsOn: 'sandbox-or-aws' | 'sandbox' | 'nothing';
}

export function acceptedFlags(command: CommandShape): FlagName[] {
  return [...command.flags, ...(command.runsOn === 'nothing' ? [] : WHERE_FLAGS), ...COMMON_FLAGS];
}

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const RECORD_TYPES = ['A', 'SRV', 'TXT', 'CNAME'] as const;

interface Tokens {
  words: string[];
  values: Map<FlagName, string[]>;
  switches: Set<FlagName>;
  unknown: string[];
  version: boolean;
}

function tokenize(argv: readonly string[]): Tokens {
  const tokens: Tokens = { words: [], values: new Map(), switches: new Set(), unknown: [], version: false };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') {
      tokens.words.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-h') {
      tokens.switches.add('help');
      continue;
    }
    if (!token.startsWith('-') || token === '-') {
      tokens.words.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.startsWith('--') ? token.slice(2, eq === -1 ? undefined : eq) : '';
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    if (name === 'version' && inline === undefined) {
      tokens.version = true;
      continue;
    }
    if (!isFlagName(name)) {
      tokens.unknown.push(eq === -1 ? token : token.slice(0, eq));
      continue;
    }
    const spec: FlagSpec = FLAGS[name];
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`Option '--${name}' takes no value`, 'InvalidOption');
      tokens.switches.add(name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`Option '--${name}' needs a value: ${flagSynopsis(name)}`, 'MissingOption');
      value = next;
      i++;
    }
    const list = tokens.values.get(name) ?? [];
    if (list.length > 0 && !spec.multiple)
      throw new UsageError(`Option '--${name}' is given twice; give it once`, 'InvalidOption');
    tokens.values.set(name, [...list, value]);
  }
  return tokens;
}

/** The longest run of leading words that names a command; `help` stands alone. */
function findCommand(words: string[], commands: readonly CommandShape[]): CommandShape | undefined {
  for (let n = Math.min(3, words.length); n > 0; n--) {
    const name = words.slice(0, n).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return command;
  }
  return undefined;
}

function unknownCommand(words: string[], commands: readonly CommandShape[]): UsageError {
  const typed = words.join(' ');
  const more = commands.filter((c) => c.name.startsWith(`${typed} `)).map((c) => c.name.slice(typed.length + 1));
  if (more.length > 0)
    return new UsageError(
      `${typed} needs one of: ${more.join(', ')}. Run 'privatelink help' for the commands.`,
      'UnknownCommand',
    );
  // Compare with as many words as each command has: `sandbox vendr accept extra` vs `sandbox vendor accept`.
  let best: { name: string; distance: number } | undefined;
  for (const c of commands) {
    const typedWords = words.slice(0, c.name.split(' ').length).join(' ');
    if (!nearest(typedWords, [c.name])) continue;
    const distance = editDistance(typedWords, c.name);
    if (!best || distance < best.distance) best = { name: c.name, distance };
  }
  const hint = best ? ` Did you mean '${best.name}'?` : '';
  return new UsageError(`unknown command: ${typed}.${hint} Run 'privatelink help' for the commands.`, 'UnknownCommand');
}

function refuseFlag(flag: string, command: CommandShape, commands: readonly CommandShape[]): UsageError {
  const accepted = acceptedFlags(command);
  const name = flag.replace(/^-+/, '');
  const others = isFlagName(name) ? commands.filter((c) => c.flags.includes(name)).map((c) => c.name) : [];
  const guess = nearest(name, accepted);
  const lead = isFlagName(name)
    ? `${command.name} does not take --${name}${others.length ? ` (${others.slice(0, 3).join(', ')} ${others.length === 1 ? 'does' : 'do'})` : ''}.`
    : `Unknown option '${flag}' for ${command.name}.`;
  const hint = guess ? ` Did you mean --${guess}?` : '';
  return new UsageError(
    `${lead}${hint} ${command.name} takes ${accepted.map(flagSynopsis).join(', ')}.`,
    'UnknownOption',
    command.name,
  );
}

export type Parsed =
  | { kind: 'version'; json: boolean }
  /** the list of commands; `group` narrows it to one group's (`sandbox --help`) */
  | { kind: 'usage'; json: boolean; help: boolean; group?: string }
  | { kind: 'command'; command: CommandShape; args: CliArgs };

/** Parses `argv` for one of `commands`; UsageError names what is wrong and the nearest valid word. */
export function parseCommandLine(argv: readonly string[], commands: readonly CommandShape[]): Parsed {
  const tokens = tokenize(argv);
  const json = tokens.switches.has('json');
  if (tokens.words.length === 0) {
    if (tokens.unknown[0]) {
      const guess = nearest(tokens.unknown[0].replace(/^-+/, ''), ['version', ...FLAG_NAMES]);
      throw new UsageError(
        `Unknown option '${tokens.unknown[0]}'.${guess ? ` Did you mean --${guess}?` : ''} Run 'privatelink help' for the commands.`,
        'UnknownOption',
      );
    }
    if (tokens.version) return { kind: 'version', json };
    return { kind: 'usage', json, help: tokens.switches.has('help') };
  }
  const command = findCommand(tokens.words, commands);
  if (!command) {
    const group = tokens.words.join(' ');
    if (tokens.switches.has('help') && commands.some((c) => c.name.startsWith(`${group} `)))
      return { kind: 'usage', json, help: true, group };
    throw unknownCommand(tokens.words, commands);
  }
  const accepted = acceptedFlags(command);
  const given = [...tokens.switches, ...tokens.values.keys()];
  if (tokens.version)
    throw new UsageError(
      `${command.name} does not take --version: 'privatelink --version' prints the version`,
      'UnknownOption',
      command.name,
    );
  const stray = tokens.unknown[0] ?? given.find((f) => !accepted.includes(f));
  if (stray !== undefined) throw refuseFlag(stray.startsWith('-') ? stray : `--${stray}`, command, commands);

  const positionals = tokens.words.slice(command.name.split(' ').length);
  const help = tokens.switches.has('help');
  if (!help && command.name !== 'help') {
    const allowed = command.positional ? 1 : 0;
    if (positionals.length > allowed)
      throw new UsageError(
        `${command.name} takes ${command.positional ? `one ${command.positional.name}` : 'no arguments'}, not '${positionals.join(' ')}'`,
        'InvalidCommandLine',
        command.name,
      );
    if (command.positional && positionals.length === 0)
      throw new UsageError(`${command.name} needs ${command.positional.name}`, 'MissingOption', command.name);
    const missing = (command.required ?? []).filter((f) => !tokens.values.has(f));
    if (missing.length > 0)
      throw new UsageError(
        `${command.name} needs ${missing.map(flagSynopsis).join(' ')}`,
        'MissingOption',
        command.name,
      );
  }
  return { kind: 'command', command, args: toArgs(command, positionals, tokens) };
}

function one(tokens: Tokens, name: FlagName): string | undefined {
  return tokens.values.get(name)?.[0];
}

function toArgs(command: CommandShape, positionals: string[], tokens: Tokens): CliArgs {
  const invalid = (message: string) => new UsageError(message, 'InvalidOption', command.name);
  const requestId = one(tokens, 'request-id');
  // Ids name files and executions: refuse anything but the contract's alphabet (no paths, no newlines).
  if (requestId !== undefined && !REQUEST_ID.test(requestId))
    throw invalid(`--request-id must be 1-64 characters of A-Z, a-z, 0-9, _ and -, not '${requestId}'`);
  const rawPort = one(tokens, 'port');
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw invalid(`--port must be a port number (1-65535), not ${rawPort}`);
  const rawSeconds = one(tokens, 'seconds');
  const seconds = rawSeconds === undefined ? undefined : Number(rawSeconds);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0 && rawSeconds?.trim() !== ''))
    throw invalid(`--seconds must be a positive number of seconds, not ${rawSeconds}`);
  const rawType = one(tokens, 'type');
  const type = RECORD_TYPES.find((t) => t === rawType?.toUpperCase());
  if (rawType !== undefined && !type) throw invalid(`--type must be one of ${RECORD_TYPES.join(', ')}, not ${rawType}`);
  const vpc = one(tokens, 'vpc');
  if (vpc !== undefined && !/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(vpc))
    throw invalid(`--vpc must be a VPC id (vpc- and 8 or 17 hexadecimal digits), not '${vpc}'`);
  const endpointId = one(tokens, 'endpoint-id');
  if (endpointId !== undefined && !/^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/.test(endpointId))
    throw invalid(`--endpoint-id must be an endpoint id (vpce- and 8 or 17 hexadecimal digits), not '${endpointId}'`);
  const dnsName = one(tokens, 'dns-name')?.toLowerCase().replace(/\.$/, '');
  if (dnsName !== undefined && !/^vpce-[0-9a-z-]+(\.[a-z0-9-]+)+$/.test(dnsName))
    throw invalid(`--dns-name must be the endpoint's DNS name (vpce-….vpce.amazonaws.com), not '${dnsName}'`);
  const has = (name: FlagName) => tokens.switches.has(name);
  const request = one(tokens, 'request');
  const stateDir = one(tokens, 'sandbox-state');
  const seedFile = one(tokens, 'sandbox-seed');
  return {
    command: command.name.split(' '),
    positionals,
    json: has('json'),
    ...(request !== undefined && { request }),
    ...(requestId !== undefined && { requestId }),
    ...(endpointId !== undefined && { endpointId }),
    ...(dnsName !== undefined && { dnsName }),
    ...(port !== undefined && { port }),
    ...(seconds !== undefined && { seconds }),
    ...(type !== undefined && { type }),
    ...(vpc !== undefined && { vpc }),
    ...(stateDir !== undefined && { stateDir }),
    ...(seedFile !== undefined && { seedFile }),
    aws: has('aws'),
    faults: tokens.values.get('fault') ?? [],
    reset: has('reset'),
    repair: has('repair'),
    help: has('help'),
    version: false,
  };
}
