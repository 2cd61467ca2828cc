// State files that several processes share (`serve` in one terminal, CLI commands in others): an
// exclusive lock per name, a JSON file whose first key is a revision that every write increments, a
// cheap check for a newer revision, and atomic writes through temporary names unique per writer.
// The pattern per change: withLock → readIfNewer (adopt another process's newer state) → change →
// write → unlock. Reading never takes the lock and never writes: a rename replaces the whole file,
// so a reader sees one version or the next, never a mix.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Who runs: a process named by pid, host and start time, so a reused pid is never taken for it.

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** `<boot id>:<start time in clock ticks>` from /proc (Linux); absent where /proc is not there */
  start?: string;
}

function procStart(pid: number): string | undefined {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces; field 22 (starttime) is the
    // 20th after the closing parenthesis (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    return ticks && /^\d+$/.test(ticks) ? `${bootId}:${ticks}` : undefined;
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;

/** This process. */
export function processIdentity(): ProcessIdentity {
  if (self?.pid !== process.pid) {
    const start = procStart(process.pid);
    self = { pid: process.pid, host: hostname(), ...(start !== undefined && { start }) };
  }
  return self;
}

/**
 * Whether the process `who` names still runs. Another host's process cannot be checked from here and
 * counts as alive (never take over what may still be in use); without a start time, the pid decides.
 */
export function isProcessAlive(who: ProcessIdentity): boolean {
  if (who.host !== hostname()) return true;
  try {
    process.kill(who.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (who.start === undefined) return true;
  const now = procStart(who.pid);
  // /proc unreadable for a live pid (another OS, hidepid): the pid alone decides.
  return now === undefined || now === who.start;
}

// ---------------------------------------------------------------------------------------------
// Atomic writes.

let tempCounter = 0;

/** A temporary name next to `path` that no other writer (process, or call in this one) uses. */
export function temporaryName(path: string): string {
  tempCounter += 1;
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.${tempCounter}.tmp`;
}

/** Writes `text` to `path` through a unique temporary file renamed over it (readers see old or new, whole). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryName(path);
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Locks: a file created exclusively (O_CREAT|O_EXCL, atomic on every local file system) holding its
// owner's identity. A lock whose owner died is taken over at once; one whose owner cannot be checked
// (another host, or not written yet) is stale once its heartbeat (the file's mtime) is older than STALE_MS.

export const STALE_MS = 10_000;
const HEARTBEAT_MS = 2_000;

export interface LockOptions {
  /** give up after this long (LockTimeoutError); default 120 s */
  timeoutMs?: number;
}

/** The lock stayed held by a live process for the whole timeout. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError' as const;
  readonly code = 'StateLocked';
}

/** Someone took over our lock while we held it (we stalled past STALE_MS): what we did may have interleaved. */
export class LockCompromisedError extends Error {
  override readonly name = 'LockCompromisedError' as const;
  readonly code = 'StateLockLost';
}

interface Owner extends ProcessIdentity {
  token: string;
}

interface Held {
  path: string;
  active: boolean;
}

/** The locks the current async context holds, so a nested withLock of the same lock runs at once. */
const context = new AsyncLocalStorage<Held[]>();
/** Callers in this process queue here first: one contender per lock and process. */
const queues = new Map<string, Promise<void>>();

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function readOwner(lockPath: string): Promise<Owner | undefined> {
  try {
    return JSON.parse(await readFile(lockPath, 'utf8')) as Owner;
  } catch {
    return undefined; // gone, or created but not written yet
  }
}

/** Whether a lock's holder is gone: dead (checked by identity), or silent past STALE_MS where it cannot be checked. */
async function isStale(lockPath: string): Promise<boolean> {
  const owner = await readOwner(lockPath);
  if (owner && owner.host === hostname()) return !isProcessAlive(owner);
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > STALE_MS;
  } catch {
    return false; // released meanwhile: just try again
  }
}

/** Removes a stale lock. Renamed away first (atomic), so of several breakers only one removes it. */
async function breakLock(lockPath: string): Promise<void> {
  const graveyard = temporaryName(lockPath);
  try {
    await rename(lockPath, graveyard);
  } catch {
    return;
  }
  await rm(graveyard, { force: true });
}

async function acquire(lockPath: string, timeoutMs: number): Promise<() => Promise<void>> {
  const owner: Owner = { ...processIdentity(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + timeoutMs;
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lockPath, JSON.stringify(owner), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(lockPath)) {
      await breakLock(lockPath);
      continue;
    }
    if (Date.now() > deadline) {
      const holder = await readOwner(lockPath);
      throw new LockTimeoutError(
        `${lockPath} is still locked after ${timeoutMs / 1000} s${holder ? ` (by process ${holder.pid} on ${holder.host})` : ''}`,
      );
    }
    // Short and jittered: locks are held for milliseconds, and contenders must not retry in step.
    await sleep(0.5 + Math.random() * Math.min(1 + attempt / 2, 8));
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    const current = await readOwner(lockPath);
    if (current?.token !== owner.token)
      throw new LockCompromisedError(`the lock ${lockPath} was taken over while this process held it`);
    await rm(lockPath, { force: true });
  };
}

/**
 * Runs `fn` holding the lock `name` of `dir`, exclusive across processes and within this one. A
 * nested withLock of a lock this call chain already holds runs at once (no self-deadlock).
 */
export async function withLock<R>(
  dir: string,
  fn: () => Promise<R>,
  name = 'state',
  options: LockOptions = {},
): Promise<R> {
  const lockPath = resolve(dir, `${name}.lock`);
  const held = context.getStore() ?? [];
  if (held.some((h) => h.active && h.path === lockPath)) return fn();

  const before = queues.get(lockPath) ?? Promise.resolve();
  let done = () => {};
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  const tail = before.then(() => mine);
  queues.set(lockPath, tail);
  await before;
  const entry: Held = { path: lockPath, active: true };
  try {
    const release = await acquire(lockPath, options.timeoutMs ?? 120_000);
    let result: R;
    try {
      result = await context.run([...held, entry], fn);
    } finally {
      // Work started inside fn that outlives it (a background task) no longer counts as holding it.
      entry.active = false;
      await release();
    }
    return result;
  } finally {
    done();
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  }
}

/** Whether the current async context holds the lock `name` of `dir`. */
export function holdsLock(dir: string, name = 'state'): boolean {
  const lockPath = resolve(dir, `${name}.lock`);
  return (context.getStore() ?? []).some((h) => h.active && h.path === lockPath);
}

// ---------------------------------------------------------------------------------------------
// A JSON state file with a revision.

export interface Snapshot<T> {
  revision: number;
  data: T;
}

/** Not a state file this module wrote (or no JSON object at all). */
export class StateFileError extends Error {
  override readonly name = 'StateFileError' as const;
}

/** The revision is written first, so a reader learns it from the file's first bytes. */
const HEAD = /^\{\s*"revision"\s*:\s*(\d+)\s*[,}]/;
const HEAD_BYTES = 64;

/**
 * One JSON object in `dir/name`, shared by processes. Its lock is `dir/name.lock`; `write` must run
 * under it (withLock) and stores `revision` = the file's last revision + 1 as the first key.
 */
export class SharedJsonFile<T extends object> {
  readonly path: string;

  constructor(
    readonly dir: string,
    readonly name: string,
    private readonly options: { pretty?: boolean } = {},
  ) {
    this.path = join(dir, name);
  }

  withLock<R>(fn: () => Promise<R>, options?: LockOptions): Promise<R> {
    return withLock(this.dir, fn, this.name, options);
  }

  /** The file as it is; undefined when there is none. Files written before revisions existed are revision 0. */
  async read(): Promise<Snapshot<T> | undefined> {
    return this.readIfNewer(-1);
  }

  /** The file when its revision is above `revision`; undefined when it is not (or there is no file). */
  async readIfNewer(revision: number): Promise<Snapshot<T> | undefined> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      // One descriptor throughout: a rename meanwhile does not mix two versions.
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
      const match = HEAD.exec(head.subarray(0, bytesRead).toString('utf8'));
      if (match && Number(match[1]) <= revision) return undefined;
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(size);
      await handle.read(buffer, 0, size, 0);
      const snapshot = this.parse(buffer.toString('utf8'));
      return snapshot.revision > revision ? snapshot : undefined;
    } finally {
      await handle.close();
    }
  }

  private parse(text: string): Snapshot<T> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new StateFileError(`${this.path} is not JSON: ${(error as Error).message}`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new StateFileError(`${this.path} does not hold a JSON object`);
    const { revision = 0, ...data } = value as { revision?: unknown };
    if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0)
      throw new StateFileError(`${this.path} has an invalid revision`);
    return { revision, data: data as T };
  }

  /**
   * Writes `data` as the next revision (under the lock: throws otherwise) and returns that revision.
   * The next revision follows the file's, whoever wrote it last, so revisions only ever grow; `base`
   * is the file's revision when the caller knows it (it read it, or readIfNewer found none newer,
   * under this same lock), which spares reading it again.
   */
  async write(data: T, base?: number): Promise<number> {
    if (!holdsLock(this.dir, this.name)) throw new Error(`${this.path} is written only under its lock (withLock)`);
    const current = base ?? (await this.currentRevision());
    const revision = current + 1;
    const { revision: _ignored, ...rest } = data as T & { revision?: unknown };
    const body = { revision, ...rest };
    await writeFileAtomic(
      this.path,
      `${this.options.pretty === false ? JSON.stringify(body) : JSON.stringify(body, null, 2)}\n`,
    );
    return revision;
  }

  /**
   * Read-modify-write under the lock: `change` gets the latest snapshot (undefined when there is no
   * file) and returns the new data, or undefined to leave the file as it is.
   */
  async update(
    change: (current: Snapshot<T> | undefined) => T | undefined | Promise<T | undefined>,
  ): Promise<Snapshot<T> | undefined> {
    return this.withLock(async () => {
      const current = await this.read();
      const next = await change(current);
      if (next === undefined) return current;
      return { revision: await this.write(next), data: next };
    });
  }

  private async currentRevision(): Promise<number> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
      const match = HEAD.exec(head.subarray(0, bytesRead).toString('utf8'));
      if (match) return Number(match[1]);
    } finally {
      await handle.close();
    }
    // A file from before revisions (no leading revision key): whatever it says, or 0.
    return (await this.read())?.revision ?? 0;
  }
}
