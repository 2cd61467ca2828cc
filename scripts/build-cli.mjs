#!/usr/bin/env node
// Builds the CLI ahead of time: src/cli/main.ts and everything it imports, bundled by esbuild into
// dist/cli/ (packages stay external, in node_modules, but zod and tldts), split at every dynamic import so a command
// loads only its own code. bin/privatelink.mjs runs this build while it is fresh: dist/cli/inputs.json
// records every bundled source file with its mtime and hash, and any change sends bin back to tsx.
import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');

/**
 * Sources find their data files next to them (`new URL('../../statemachines/…', import.meta.url)`).
 * In the bundle import.meta.url is the chunk's, so each source's own URL is put back: the source's
 * path relative to dist/cli/, resolved against the chunk (every chunk sits in dist/cli/ itself).
 */
const importMetaUrl = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const rel = relative(outdir, args.path).split('\\').join('/');
      const own = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', own), loader: 'ts' };
    });
  },
};

/**
 * Packages stay in node_modules, but for two small pure-JS ones that every request-reading command
 * loads: bundled, they cost `status` about half its start (Node resolves each of zod's ~100 modules
 * apart). Neither shares objects with the external packages (Powertools' parser brings its own zod).
 */
const BUNDLED = new Set(['zod', 'tldts']);
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [externalPackages, importMetaUrl],
});

// Each source's mtime (the quick check) and content hash (for a file rewritten with the same bytes,
// by a formatter or a checkout).
const inputs = {};
for (const file of Object.keys(result.metafile.inputs).sort()) {
  if (file.split('/').includes('node_modules')) continue;
  const path = join(root, file);
  const sha256 = createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
  inputs[file] = { mtimeMs: (await stat(path)).mtimeMs, sha256 };
}
await writeFile(
  join(outdir, 'inputs.json'),
  `${JSON.stringify({ builtAt: new Date().toISOString(), inputs }, null, 2)}\n`,
);
const chunks = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs')).length;
process.stderr.write(
  `build-cli: ${Object.keys(inputs).length} sources → ${relative(root, outdir)}/ (${chunks} files)\n`,
);
