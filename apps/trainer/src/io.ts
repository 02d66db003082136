// io.ts — where a command writes: machine-readable results to `stdout`, progress and logs to `stderr`.
// Tests pass in-memory streams; the binary passes process.stdout / process.stderr.

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/** A usage error (bad flag value): printed with the usage hint, exit code 2. */
export class UsageError extends Error {}

/** Parses a positive integer flag, or throws a UsageError in the house format. */
export function parseCount(flag: string, value: string, min = 0): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag}: not a count. Expected an integer ≥ ${min}, got "${value}".`);
  }
  return n;
}

/** Parses `HxW` (e.g. 256x512) into [H, W]. */
export function parseSize(flag: string, value: string, min = 8): [number, number] {
  const m = /^(\d+)[xX×](\d+)$/.exec(value);
  const h = m ? Number(m[1]) : Number.NaN;
  const w = m ? Number(m[2]) : Number.NaN;
  if (!m || h < min || w < min || h > 16384 || w > 16384) {
    throw new UsageError(
      `${flag}: not a size. Expected HxW with sides ${min}..16384, such as 256x512, got "${value}".`,
    );
  }
  return [h, w];
}
