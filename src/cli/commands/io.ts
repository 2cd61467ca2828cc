// What every command gets: somewhere to print, and the exit codes of the contract.
export const EXIT = { ok: 0, failed: 1, invalid: 2 } as const;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
