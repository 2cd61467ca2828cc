// `npm run bench`: figures, not a timed test. Each section prints a table with the command that
// reproduces it. `npm run bench -- bundles` (or workflow, concurrent, slack, cli) runs only the sections named.

import { benchBundles } from './bench-bundles.ts';
import { benchCli } from './bench-cli.ts';
import { benchConcurrent } from './bench-concurrent.ts';
import { benchSlack } from './bench-slack.ts';
import type { BenchSection } from './bench-types.ts';
import { benchWorkflow } from './bench-workflow.ts';

const all: Record<string, () => Promise<BenchSection>> = {
  workflow: benchWorkflow,
  concurrent: benchConcurrent,
  slack: benchSlack,
  cli: benchCli,
  bundles: benchBundles,
};
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in all));
if (unknown.length > 0)
  throw new Error(`unknown section ${unknown.join(', ')}: choose from ${Object.keys(all).join(', ')}`);
const sections =
  chosen.length > 0 ? chosen.map((name) => all[name] as () => Promise<BenchSection>) : Object.values(all);

console.log(`# privatelink-automation bench, ${new Date().toISOString().slice(0, 10)}, node ${process.version}\n`);
for (const run of sections) {
  const section = await run();
  console.log(`## ${section.title}\n\n$ ${section.command}\n`);
  const widths = section.header.map((h, i) => Math.max(h.length, ...section.rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(section.header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of section.rows) console.log(line(row));
  for (const note of section.notes ?? []) console.log(`\n${note}`);
  console.log();
}
