// Reading `--request FILE` (provision, plan): an unreadable file or an invalid request is said on
// stderr (and as one JSON error with --json), exit 2. At most 20 field errors: a request with thousands
// of bad fields must not flood the terminal.
import { readFile } from 'node:fs/promises';
import { type ProvisionRequest, parseProvisionRequest } from '../../core/domain/request.ts';
import type { CliArgs } from '../args.ts';
import { issueSentence } from '../render.ts';
import { EXIT, type Io } from './io.ts';

const MAX_ISSUES = 20;

/** `consequence` follows "is invalid" in the messages, e.g. "; nothing was created". */
export async function readRequestFile(args: CliArgs, io: Io, consequence = ''): Promise<ProvisionRequest | number> {
  const file = args.request ?? '';
  const refuse = (error: object, lines: string[]) => {
    for (const line of lines) io.err(line);
    if (args.json) io.out(JSON.stringify({ error }, null, 2));
    return EXIT.invalid;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'it is a directory'
          : error instanceof SyntaxError
            ? `it is not JSON (${e.message})`
            : e.message;
    const message = `cannot read ${file}: ${why}`;
    return refuse({ code: 'CannotReadRequest', message }, [`privatelink: ${message}`]);
  }
  const parsed = parseProvisionRequest(raw);
  if (parsed.ok) return parsed.request;
  const sentences = parsed.issues.slice(0, MAX_ISSUES).map(issueSentence);
  const more = parsed.issues.length > MAX_ISSUES ? [`  … and ${parsed.issues.length - MAX_ISSUES} more`] : [];
  return refuse(
    {
      code: 'InvalidRequest',
      message: `the request is invalid${consequence}: ${sentences.join('; ')}`,
      issues: parsed.issues,
    },
    [`privatelink: the request in ${file} is invalid${consequence}:`, ...sentences.map((s) => `  ${s}`), ...more],
  );
}
