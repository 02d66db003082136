// cores.ts — how many threads to use when nobody says: the cores this process may run on
// (os.availableParallelism in Node, which honours CPU affinity; navigator.hardwareConcurrency in a
// browser). Never a constant: the same code runs on a 4-core Pi 5 and a 2-core CI box.

export function availableThreads(): number {
  const getBuiltin = (globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined)
    ?.getBuiltinModule;
  const os = getBuiltin?.('node:os') as
    | { availableParallelism?: () => number; cpus(): unknown[] }
    | undefined;
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

let statReader: ((path: string) => string) | null | undefined;

/**
 * CPU milliseconds the calling thread has used (Linux: /proc/thread-self/stat, 10 ms ticks), or
 * undefined elsewhere. On a machine shared with other jobs wall time says little about a thread's
 * work; this says how much it did.
 */
export function threadCpuMs(): number | undefined {
  if (statReader === undefined) {
    const getBuiltin = (globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined)
      ?.getBuiltinModule;
    const fs = getBuiltin?.('node:fs') as { readFileSync(p: string, e: string): string } | undefined;
    statReader = null;
    try {
      if (fs?.readFileSync('/proc/thread-self/stat', 'utf8')) statReader = (p) => fs.readFileSync(p, 'utf8');
    } catch {
      // not Linux
    }
  }
  if (!statReader) return undefined;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const s = statReader('/proc/thread-self/stat');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
