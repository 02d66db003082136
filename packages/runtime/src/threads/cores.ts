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
