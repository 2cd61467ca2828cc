// The CLI in a process of its own (`node bin/privatelink.mjs …`), as a user runs it in a terminal: for
// tests where one terminal waits while another acts on the same state directory.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** the exit code once it has exited */
  exited: Promise<number | null>;
  /** resolves with stderr once it matches `pattern`; rejects if the process exits first or after `ms` */
  stderrMatching(pattern: RegExp, ms?: number): Promise<string>;
  kill(): void;
}

const ROOT = new URL('../../', import.meta.url);

export function spawnCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliProcess {
  const child = spawn(process.execPath, ['bin/privatelink.mjs', ...argv], { cwd: ROOT, env, stdio: 'pipe' });
  child.stdin.end();
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
    for (const listener of [...listeners]) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    stderrMatching(pattern, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(err)) return;
          done();
          resolve(err);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`stderr never matched ${pattern} within ${ms} ms:\n${err}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then((code) => {
          if (!listeners.has(check)) return;
          check();
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`exited (${code}) before stderr matched ${pattern}:\n${err}\nstdout:\n${out}`));
        });
        check();
      });
    },
    kill: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}
