#!/usr/bin/env node
// Runs the CLI built ahead of time (dist/cli/, by `npm run build`, also run by `npm install`) while it
// matches the sources; otherwise runs the TypeScript sources through tsx, saying so, so an edit is
// never silently ignored. The build starts in a few tens of milliseconds; tsx compiles at each start.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

// The SDK warns on Node 20 at every start; the CLI runs fine on it, and Lambda deploys on Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = new URL('../', import.meta.url);
const built = new URL('dist/cli/main.mjs', root);

/** Why the build cannot be used (absent, or a bundled source changed since), or undefined when it can. */
function staleness() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
    statSync(built);
  } catch {
    return 'there is no build in dist/cli';
  }
  for (const [file, built] of Object.entries(manifest.inputs ?? {})) {
    const url = new URL(file, root);
    try {
      // The same mtime is the same file; another mtime with the same bytes (a formatter, a checkout) too.
      if (statSync(url).mtimeMs === built.mtimeMs) continue;
      if (createHash('sha256').update(readFileSync(url)).digest('hex') === built.sha256) continue;
    } catch {
      return `${file} is gone since the build`;
    }
    return `${file} changed since the build`;
  }
  return undefined;
}

const stale = staleness();
let main;
if (stale === undefined) ({ main } = await import(built.href));
else {
  process.stderr.write(
    `privatelink: ${stale}; running the sources through tsx (slower; npm run build makes it fast)\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
