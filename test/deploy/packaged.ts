// Packages the service once (osls package, offline, without credentials) and reads what it produced.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
}
export interface Template {
  Resources: Record<string, CfnResource>;
}
export interface Packaged {
  dir: string;
  template: Template;
  /** zip name (the function's logical name) → bytes */
  zips: Record<string, number>;
  cleanup(): Promise<void>;
}

/** A blank AWS environment: no credentials, no profile, no config files, so packaging cannot reach AWS. */
function offlineEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^AWS_|^SLS_|^SERVERLESS_/.test(key)) env[key] = value;
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** `osls package` into a temporary directory; `args` e.g. `['--stage', 'prod', '--region', 'ap-southeast-2']`. */
export async function packageService(args: string[] = []): Promise<Packaged> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-package-'));
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--package', dir, ...args],
    { cwd: ROOT, env: offlineEnv(dir), maxBuffer: 16 * 1024 * 1024 },
  );
  const template = JSON.parse(
    await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  const zips: Record<string, number> = {};
  for (const file of await readdir(dir))
    if (file.endsWith('.zip')) zips[basename(file, '.zip')] = (await stat(join(dir, file))).size;
  return { dir, template, zips, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function resourcesOfType(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** `checkEndpoint` → `CheckEndpoint`, as the Serverless Framework names a function's resources. */
export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `check-endpoint.ts` → `checkEndpoint` */
export function logicalName(file: string): string {
  return basename(file, '.ts').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
