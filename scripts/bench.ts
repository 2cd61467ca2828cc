// `npm run bench`: figures, not a timed test. Each section prints a table with the command that
// reproduces it.

import { benchBundles } from './bench-bundles.ts';
import { benchSlack } from './bench-slack.ts';
import type { BenchSection } from './bench-types.ts';
import { benchWorkflow } from './bench-workflow.ts';

const sections: (() => Promise<BenchSection>)[] = [benchWorkflow, benchSlack, benchBundles];

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
