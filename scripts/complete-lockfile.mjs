// npm records in package-lock.json only the optional platform packages its registry serves, yet
// `npm ci` refuses a lock that lacks any optional dependency of a package (npm/cli#4828, #8320). The
// registry here serves only Biome's Linux builds, so after an `npm install` run this to add the other
// platforms' entries (version and platform only: they are never fetched on Linux).
// Usage: node scripts/complete-lockfile.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = {
  'android-arm64': { os: ['android'], cpu: ['arm64'] },
  'android-x64': { os: ['android'], cpu: ['x64'] },
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm64': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'linux-x64': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
  'linux-x64-musl': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
  'win32-arm64': { os: ['win32'], cpu: ['arm64'] },
  'win32-x64': { os: ['win32'], cpu: ['x64'] },
};

export function missingEntries(lock) {
  const biome = lock.packages['node_modules/@biomejs/biome'];
  return Object.entries(biome?.optionalDependencies ?? {})
    .filter(([name]) => !lock.packages[`node_modules/${name}`])
    .map(([name, version]) => {
      const platform = PLATFORMS[name.replace('@biomejs/cli-', '')];
      if (!platform) throw new Error(`unknown Biome platform package ${name}`);
      return [
        `node_modules/${name}`,
        { version, ...platform, dev: true, optional: true, license: 'MIT OR Apache-2.0' },
      ];
    });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../package-lock.json', import.meta.url);
  const lock = JSON.parse(readFileSync(path, 'utf8'));
  const missing = missingEntries(lock);
  if (process.argv.includes('--check')) {
    for (const [key] of missing) console.error(`package-lock.json lacks ${key}`);
    process.exit(missing.length > 0 ? 1 : 0);
  }
  const packages = { ...lock.packages, ...Object.fromEntries(missing) };
  // npm's own order (localeCompare in English), so a later `npm install` leaves the file as it is.
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b, 'en')));
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${missing.length} entr${missing.length === 1 ? 'y' : 'ies'}`);
}
