// timing.ts — median time of a call after warm-up. No statistics beyond the median: the machines are
// shared and noisy, and the median of enough repetitions is what survives that.
//
// Two clocks. `wall` (performance.now) is what a user waits. `cpu` (process.cpuUsage: user + system
// time of every thread of this process) leaves out the time other processes hold the core: on the
// shared 2-core development VM (load average 5–8) a 512³ int8 GEMM measured a wall median of 38 GOPS
// and a CPU-time median of 86 GOPS in the same loop, the CPU figure steady to ±2% across trials, the
// wall one depending on who else ran. Calls here are single-threaded (peers at one thread), so CPU time
// is the call's own time; a peer that hands work to a thread of its own (onnxruntime-node's async run)
// is still counted, as process time covers every thread.

export type Clock = 'cpu' | 'wall';

export interface TimingOptions {
  /** Stop repeating once this much time was spent measuring (seconds)… */
  minTime?: number;
  /** …and at least this many timed calls were made. */
  minReps?: number;
  maxReps?: number;
  /** Untimed calls first (lets V8 tier up and caches warm). */
  warmup?: number;
  /** Which clock the medians are taken on (default wall). */
  clock?: Clock;
}

export interface Timing {
  medianSeconds: number;
  reps: number;
}

/** Seconds on the given clock since an arbitrary origin. */
export function clockSeconds(clock: Clock = 'wall'): number {
  if (clock === 'cpu') {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  return performance.now() / 1000;
}

/**
 * Calls shorter than this are timed in batches (the same function called back to back, the batch's
 * time divided by its size): process CPU time ticks in microseconds, and a 20 µs call would round.
 */
export const MIN_SAMPLE_SECONDS = 0.002;

/** How many back-to-back calls make one sample of a call that took `seconds`. */
export function batchFor(seconds: number): number {
  if (seconds >= MIN_SAMPLE_SECONDS) return 1;
  return Math.min(1000, Math.ceil(MIN_SAMPLE_SECONDS / Math.max(seconds, 1e-7)));
}

/** Seconds per call of `batch` back-to-back calls of f, on the clock. */
export async function sample(
  f: () => unknown | Promise<unknown>,
  batch: number,
  clock: Clock | undefined,
): Promise<number> {
  const t0 = clockSeconds(clock);
  for (let i = 0; i < batch; i++) {
    const r = f();
    if (r instanceof Promise) await r;
  }
  return (clockSeconds(clock) - t0) / batch;
}

export async function timeIt(fn: () => unknown | Promise<unknown>, o: TimingOptions = {}): Promise<Timing> {
  const minTime = o.minTime ?? 0.3;
  const minReps = o.minReps ?? 5;
  const maxReps = o.maxReps ?? 1000;
  for (let i = 0; i < (o.warmup ?? 2); i++) await fn();
  // One more call sizes the batch (short calls are timed several at a time); it is a sample too.
  const first = await sample(fn, 1, o.clock);
  const batch = batchFor(first);
  const times: number[] = batch === 1 ? [first] : [];
  let spent = first;
  while ((spent < minTime || times.length < minReps) && times.length < maxReps) {
    const dt = await sample(fn, batch, o.clock);
    times.push(dt);
    spent += dt * batch;
  }
  times.sort((a, b) => a - b);
  return { medianSeconds: times[Math.floor(times.length / 2)], reps: times.length };
}
