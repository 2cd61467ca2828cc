// Every file of a state directory with a hash of its bytes: what "a read-only command changes nothing"
// means, byte for byte (plan, verify without --repair).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else
        out[path] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    }
  };
  if (existsSync(dir)) await walk(dir);
  return out;
}
