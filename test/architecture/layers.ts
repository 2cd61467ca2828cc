// The layering rule of docs/reference/layers.md as data, and an import scanner for it: every import and
// re-export (static, type-only, side-effect and dynamic `import('…')`) of the TypeScript files under src/
// and functions/, resolved to repository paths.
import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize, posix, relative } from 'node:path';

export const ROOT = normalize(join(import.meta.dirname, '../..'));

export type Layer =
  | 'kernel'
  | 'clock'
  | 'domain'
  | 'steps'
  | 'adapters'
  | 'sandbox'
  | 'app'
  | 'cli'
  | 'http'
  | 'slack'
  | 'functions'
  | 'data';

/** The layer of a repository path (posix, relative to the root), or undefined outside the checked code. */
export function layerOf(path: string): Layer | undefined {
  if (path.endsWith('.json')) return 'data';
  if (path.startsWith('functions/')) return 'functions';
  const top: Record<string, Layer> = { 'src/cli/': 'cli', 'src/http/': 'http', 'src/slack/': 'slack' };
  for (const [prefix, layer] of Object.entries(top)) if (path.startsWith(prefix)) return layer;
  const core: Record<string, Layer> = {
    'src/core/errors.ts': 'kernel',
    'src/core/ports.ts': 'kernel',
    'src/core/clock.ts': 'clock',
    'src/core/domain/': 'domain',
    'src/core/steps/': 'steps',
    'src/core/aws/': 'adapters',
    'src/core/atlas/': 'adapters',
    'src/core/atlas-transport.ts': 'adapters',
    'src/core/config.ts': 'adapters',
    'src/core/observability.ts': 'adapters',
    'src/core/sandbox/': 'sandbox',
    'src/core/app/': 'app',
    'src/core/runner/': 'app',
    'src/core/provisioning-metrics.ts': 'app',
  };
  for (const [prefix, layer] of Object.entries(core)) if (path === prefix || path.startsWith(prefix)) return layer;
  return undefined;
}

const CORE: Layer[] = ['kernel', 'clock', 'domain', 'steps', 'adapters', 'sandbox', 'app'];

/** What each layer may import (besides data files and packages, see FORBIDDEN_PACKAGES). */
export const MAY_IMPORT: Record<Layer, Layer[]> = {
  kernel: ['kernel'],
  clock: ['kernel', 'clock'],
  domain: ['kernel', 'domain'],
  steps: ['kernel', 'clock', 'domain', 'steps'],
  adapters: ['kernel', 'clock', 'domain', 'adapters'],
  sandbox: ['kernel', 'clock', 'domain', 'adapters', 'sandbox'],
  app: CORE,
  http: [...CORE, 'http'],
  slack: [...CORE, 'slack'],
  // the CLI's serve composes the HTTP routes and the Slack command (src/cli/serve-app.ts)
  cli: [...CORE, 'cli', 'http', 'slack'],
  functions: [...CORE, 'http', 'slack', 'functions'],
  data: [],
};

/** The one upward edge the design has: the local runner binds each Task to the Lambda handler module. */
export const RUNNER_HOSTS_HANDLERS = { from: 'src/core/runner/functions.ts', toPrefix: 'functions/' };

/** Decisions are pure: the domain and the steps reach the outside only through ports. */
export const FORBIDDEN_PACKAGES: Partial<Record<Layer, RegExp>> = {
  domain: /^(@aws-sdk\/|@aws-lambda-powertools\/|mongodb$|node:(fs|http|https|dns|child_process|worker_threads))/,
  steps: /^(@aws-sdk\/|@aws-lambda-powertools\/|mongodb$|node:(fs|http|https|dns|child_process|worker_threads))/,
};

export type Edge = { from: string; to: string };

/** The specifiers a module imports, in order; comments are ignored. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: { at: number; specifier: string }[] = [];
  const staticForm = /(?:^|[\n;])\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
  const dynamicForm = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const form of [staticForm, dynamicForm])
    for (const match of code.matchAll(form)) found.push({ at: match.index, specifier: match[1] ?? '' });
  return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

function typescriptFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of the checked code: relative ones resolved to repository paths, packages as written. */
export function scanImports(dirs: string[] = ['src', 'functions']): {
  files: string[];
  edges: Edge[];
  packages: Edge[];
} {
  const files = dirs.flatMap(typescriptFiles);
  const edges: Edge[] = [];
  const packages: Edge[] = [];
  for (const from of files)
    for (const specifier of importSpecifiers(readFileSync(join(ROOT, from), 'utf8'))) {
      if (!specifier.startsWith('.')) packages.push({ from, to: specifier });
      else
        edges.push({
          from,
          to: relative(ROOT, join(ROOT, posix.dirname(from), specifier))
            .split('\\')
            .join('/'),
        });
    }
  return { files, edges, packages };
}

/** Why an edge breaks the rule, or undefined when it is allowed. */
export function violation({ from, to }: Edge): string | undefined {
  const source = layerOf(from);
  const target = layerOf(to);
  if (!source) return undefined;
  if (!target) return `${to} is outside every layer`;
  if (target === 'data') return undefined;
  if (from === RUNNER_HOSTS_HANDLERS.from && to.startsWith(RUNNER_HOSTS_HANDLERS.toPrefix)) return undefined;
  if (!MAY_IMPORT[source].includes(target)) return `${source} may not import ${target}`;
  return undefined;
}

export function packageViolation({ from, to }: Edge): string | undefined {
  const source = layerOf(from);
  const forbidden = source && FORBIDDEN_PACKAGES[source];
  return forbidden?.test(to) ? `${source} may not import the package ${to}` : undefined;
}
