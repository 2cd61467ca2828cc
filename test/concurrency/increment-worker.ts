// A child process for shared-state.test.ts: `count` read-modify-write increments of one shared
// counter file, each under the lock, the way the sandbox applies one AWS call.
import { SharedJsonFile } from '../../src/core/sandbox/shared-state.ts';

const [dir, countText, label] = process.argv.slice(2);
if (!dir || !countText || !label) throw new Error('usage: increment-worker DIR COUNT LABEL');
const file = new SharedJsonFile<{ count: number; by: Record<string, number> }>(dir, 'counter.json');
let known = 0;
let view = { count: 0, by: {} as Record<string, number> };
for (let i = 0; i < Number(countText); i++) {
  await file.withLock(async () => {
    // What the sandbox does per call: adopt a newer revision if another process wrote one.
    const newer = await file.readIfNewer(known);
    if (newer) {
      view = newer.data;
      known = newer.revision;
    }
    view = { count: view.count + 1, by: { ...view.by, [label]: (view.by[label] ?? 0) + 1 } };
    known = await file.write(view);
  });
}
