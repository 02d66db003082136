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

/** Parses an integer flag ≥ min, or throws a UsageError in the house format. */
export function parseCount(flag: string, value: string, min = 0): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag}: not a count. Expected an integer ≥ ${min}, got "${value}".`);
  }
  return n;
}

/** Parses `HxW` (e.g. 512x1024) with both sides multiples of 32 in [32, 8192], or throws a UsageError. */
export function parseSize(flag: string, value: string): { height: number; width: number } {
  const m = /^(\d+)[x×](\d+)$/.exec(value);
  const [height, width] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || [height, width].some((v) => v < 32 || v > 8192 || v % 32 !== 0)) {
    throw new UsageError(
      `${flag}: not a network input size. Expected HxW with sides multiples of 32 in [32, 8192] (e.g. 512x1024), got "${value}".`,
    );
  }
  return { height, width };
}

/** Parses a positive number of seconds (e.g. 0.5), or throws a UsageError. */
export function parseSeconds(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 86_400) {
    throw new UsageError(
      `${flag}: not a duration in seconds. Expected a number in (0, 86400], got "${value}".`,
    );
  }
  return n;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90s`, `10m`, `1h30m`, `250ms` (a bare number means seconds) into milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const bad = () =>
    new UsageError(
      `${flag}: not a duration. Expected a number with a unit (ms, s, m, h) such as 10m or 1h30m, got "${value}".`,
    );
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let ms = 0;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < value.length && (m = re.exec(value))) ms += Number(m[1]) * UNIT_MS[m[2]];
  if (re.lastIndex !== value.length || value.length === 0 || !(ms > 0) || ms > 7 * 86_400_000) throw bad();
  return ms;
}

/** `1h02m05s`, `3m05s`, `12.5s` — for progress lines. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${sec}s` : `${m}m${sec}s`;
}
