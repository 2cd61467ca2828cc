// Layers import downward only (docs/reference/layers.md): every import under src/ and functions/ is
// checked against the rule, so a new upward import fails here and names the file and the import.
import { describe, expect, it } from 'vitest';
import { type Edge, importSpecifiers, layerOf, packageViolation, scanImports, violation } from './layers.ts';

/**
 * KNOWN VIOLATIONS, to be removed one by one as the code is fixed (issue 10, item 5). The test fails on any
 * violation not listed here, and on an entry that no longer happens (delete it with the fix).
 */
const KNOWN_VIOLATIONS: readonly Edge[] = [];

const key = (e: Edge) => `${e.from} → ${e.to}`;

describe('layering', () => {
  const { files, edges, packages } = scanImports();

  it('reads every module of src/ and functions/ and places it in a layer', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(400);
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  it('finds no upward import but the known ones', () => {
    const known = new Set(KNOWN_VIOLATIONS.map(key));
    const found = edges.flatMap((edge) => {
      const why = violation(edge);
      return why ? [{ edge, why }] : [];
    });
    const fresh = found.filter(({ edge }) => !known.has(key(edge))).map(({ edge, why }) => `${key(edge)}: ${why}`);
    expect(fresh, 'new imports against docs/reference/layers.md').toEqual([]);
    const gone = [...known].filter((k) => !found.some(({ edge }) => key(edge) === k));
    expect(gone, 'fixed: remove these from KNOWN_VIOLATIONS').toEqual([]);
  });

  it('keeps the domain and the steps away from packages that reach the outside', () => {
    expect(packages.flatMap((edge) => packageViolation(edge) ?? [])).toEqual([]);
  });
});

describe('the rule and the scanner', () => {
  it('refuses each kind of upward import', () => {
    const refused: Edge[] = [
      { from: 'src/core/domain/request.ts', to: 'src/core/steps/state.ts' },
      { from: 'src/core/domain/request.ts', to: 'src/core/clock.ts' },
      { from: 'src/core/steps/finalize.ts', to: 'src/core/aws/ec2.ts' },
      { from: 'src/core/steps/finalize.ts', to: 'src/core/atlas/adapter.ts' },
      { from: 'src/core/steps/finalize.ts', to: 'src/core/sandbox/sandbox.ts' },
      { from: 'src/core/steps/finalize.ts', to: 'src/core/runner/results.ts' },
      { from: 'src/core/aws/ec2.ts', to: 'src/core/app/environment.ts' },
      { from: 'src/core/atlas/adapter.ts', to: 'src/core/sandbox/atlas.ts' },
      { from: 'src/core/sandbox/ec2.ts', to: 'src/core/steps/state.ts' },
      { from: 'src/core/app/provision.ts', to: 'src/cli/main.ts' },
      { from: 'src/core/runner/results.ts', to: 'src/http/routes.ts' },
      { from: 'src/core/app/provision.ts', to: 'functions/finalize.ts' },
      { from: 'src/http/routes.ts', to: 'src/cli/main.ts' },
      { from: 'src/slack/commands.ts', to: 'src/http/routes.ts' },
      { from: 'src/http/routes.ts', to: 'src/slack/commands.ts' },
      { from: 'src/core/domain/request.ts', to: 'scripts/generate-schemas.ts' },
    ];
    expect(refused.filter((edge) => violation(edge) === undefined).map(key)).toEqual([]);
    expect(violation({ from: 'src/core/steps/finalize.ts', to: 'src/core/app/allowlists.ts' })).toBe(
      'steps may not import app',
    );
    expect(packageViolation({ from: 'src/core/steps/finalize.ts', to: '@aws-sdk/client-ec2' })).toBe(
      'steps may not import the package @aws-sdk/client-ec2',
    );
  });

  it('allows the downward ones', () => {
    const allowed: Edge[] = [
      { from: 'src/core/domain/dns-plan.ts', to: 'src/core/errors.ts' },
      { from: 'src/core/steps/finalize.ts', to: 'src/core/domain/result.ts' },
      { from: 'src/core/steps/finalize.ts', to: 'src/core/clock.ts' },
      { from: 'src/core/aws/ec2.ts', to: 'src/core/domain/request.ts' },
      { from: 'src/core/sandbox/atlas.ts', to: 'src/core/atlas/operations.ts' },
      { from: 'src/core/app/provision.ts', to: 'src/core/steps/state.ts' },
      { from: 'src/core/runner/functions.ts', to: 'functions/finalize.ts' },
      { from: 'src/cli/commands/serve.ts', to: 'src/http/node-server.ts' },
      { from: 'functions/http-api.ts', to: 'src/http/routes.ts' },
      { from: 'src/slack/profiles.ts', to: 'config/slack-profiles.json' },
    ];
    expect(allowed.flatMap((edge) => violation(edge) ?? [])).toEqual([]);
  });

  it('reads every form of import and ignores comments', () => {
    const source = [
      "import { a } from './a.ts';",
      'import type {',
      '  B,',
      '  C,',
      "} from '../b.ts';",
      "import './side-effect.ts';",
      "export * from './re-export.ts';",
      "export { d } from './d.ts'; export const e = 'from nowhere';",
      "const f = await import('./lazy.ts');",
      "// import { g } from './commented.ts';",
      "/* import { h } from './block.ts'; */",
      "import * as z from 'zod';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      './a.ts',
      '../b.ts',
      './side-effect.ts',
      './re-export.ts',
      './d.ts',
      './lazy.ts',
      'zod',
    ]);
  });
});
