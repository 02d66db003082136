// env.ts — everything a sensor backend touches on the host, injectable so tests run on fixture folders
// and canned command output: the file-system root that sysfs/procfs paths hang from, the command runner
// (vcgencmd) and the clock.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { glob } from '../glob.js';

export interface SensorEnv {
  /** Prepended to every /sys and /proc path: "/" on a board, a fixture folder in tests. */
  root: string;
  /** Reads a host file as text (tests wrap it to fail with EACCES, which root never sees). */
  readFile(hostPath: string): Promise<string>;
  /** Runs a command and resolves with its stdout; rejects (code ENOENT) when it is not installed. */
  exec(cmd: string, args: string[]): Promise<string>;
  /** Milliseconds from a monotonic clock. */
  now(): number;
  /** Also sample on a timer between polls (default true; tests on a fake clock turn it off). */
  timers?: boolean;
}

export function execText(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 5000, maxBuffer: 1 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(String(stdout)),
    );
  });
}

export const hostSensors: SensorEnv = {
  root: '/',
  readFile: (p) => readFile(p, 'utf8'),
  exec: execText,
  now: () => performance.now(),
};

/** The host path of an absolute sysfs/procfs path. */
export function sysPath(env: SensorEnv, abs: string): string {
  return env.root === '/' ? abs : join(env.root, abs);
}

/** Host paths matching a sysfs glob, as sysfs paths (without the root). */
export async function sysGlob(env: SensorEnv, pattern: string): Promise<string[]> {
  const found = await glob(sysPath(env, pattern));
  return env.root === '/' ? found : found.map((p) => p.slice(join(env.root).length) || '/');
}

export async function readSysText(env: SensorEnv, abs: string): Promise<string> {
  return (await env.readFile(sysPath(env, abs))).replace(/\0/g, '').trim();
}

/** A sysfs integer file, or throws naming the path. */
export async function readSysNumber(env: SensorEnv, abs: string): Promise<number> {
  const text = await readSysText(env, abs);
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) {
    throw new Error(`${abs}: not a number. Expected an integer, got "${text.slice(0, 40)}".`);
  }
  return n;
}

/** A sysfs file's text, or undefined when it is absent or unreadable. */
export async function tryReadSysText(env: SensorEnv, abs: string): Promise<string | undefined> {
  try {
    return await readSysText(env, abs);
  } catch {
    return undefined;
  }
}

export function errorCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}
