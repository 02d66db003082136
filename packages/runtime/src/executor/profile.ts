// profile.ts — where a frame's time goes, op by op and kernel by kernel (`runtime-bench --profile`).
//
// The executor names each op as it starts it (`Run.prof?.op('s1.attn.scores')`); an op lasts until the
// next one starts, so its time includes the JS around its kernel calls (views, checks, copies). Kernels
// run through `profiledKernels` are timed per call on top, by kernel op, to see e.g. how much of a
// Linear is the quantization of its input. Times are this process's CPU time (user + system) where the
// host has `process.cpuUsage` — on a shared machine wall time counts the other jobs' slices too — and
// wall time beside it. Meant for one thread: in a worker the process's CPU time is every thread's.
import type { Kernels, RawKernel } from '@edgeseg/kernels';

export interface ProfileEntry {
  /** CPU microseconds (or wall, when the host has no CPU clock). */
  cpuUs: number;
  wallUs: number;
  calls: number;
}

type Clock = () => number;

/** Microseconds of CPU this process has used, or null where the host cannot tell. */
function cpuClock(): Clock | null {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (typeof p?.cpuUsage !== 'function') return null;
  const cpu = p.cpuUsage.bind(p);
  return () => {
    const u = cpu();
    return u.user + u.system;
  };
}

const wallUs: Clock = () => performance.now() * 1000;

export class OpProfile {
  readonly ops = new Map<string, ProfileEntry>();
  readonly kernels = new Map<string, ProfileEntry>();
  /** Whether `cpuUs` is CPU time (else it repeats the wall time). */
  readonly cpuTime: boolean;
  private readonly cpu: Clock;
  private cur: string | null = null;
  private c0 = 0;
  private w0 = 0;

  constructor() {
    const c = cpuClock();
    this.cpuTime = c !== null;
    this.cpu = c ?? wallUs;
  }

  /** Start op `name` (ending the current one); null ends the current op only. */
  op(name: string | null): void {
    const c = this.cpu();
    const w = wallUs();
    if (this.cur !== null) add(this.ops, this.cur, c - this.c0, w - this.w0);
    this.cur = name;
    this.c0 = c;
    this.w0 = w;
  }

  /** Time one kernel call under its op name. */
  kernel<T>(op: string, call: () => T): T {
    const c = this.cpu();
    const w = wallUs();
    try {
      return call();
    } finally {
      add(this.kernels, op, this.cpu() - c, wallUs() - w);
    }
  }

  clear(): void {
    this.ops.clear();
    this.kernels.clear();
    this.cur = null;
  }
}

function add(m: Map<string, ProfileEntry>, key: string, cpuUs: number, wallUs: number): void {
  const e = m.get(key);
  if (e) {
    e.cpuUs += cpuUs;
    e.wallUs += wallUs;
    e.calls++;
  } else m.set(key, { cpuUs, wallUs, calls: 1 });
}

/** A twin of `k` whose every kernel call is timed into `prof.kernels` under the kernel's op. */
export function profiledKernels(k: Kernels, prof: OpProfile): Kernels {
  const twin = Object.create(k) as Kernels;
  const cache = new Map<string, RawKernel>();
  Object.defineProperty(twin, 'fn', {
    value: (info: Parameters<Kernels['fn']>[0]): RawKernel => {
      let f = cache.get(info.name);
      if (!f) {
        const raw = k.fn(info);
        f = (...args: number[]) => prof.kernel(info.op, () => raw(...args));
        cache.set(info.name, f);
      }
      return f;
    },
  });
  return twin;
}
