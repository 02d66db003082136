// timing.ts — median wall time of a call after warm-up. No statistics beyond the median: the
// machines are shared and noisy, and the median of enough repetitions is what survives that.

export interface TimingOptions {
  /** Stop repeating once this much time was spent measuring (seconds)… */
  minTime?: number;
  /** …and at least this many timed calls were made. */
  minReps?: number;
  maxReps?: number;
  /** Untimed calls first (lets V8 tier up and caches warm). */
  warmup?: number;
}

export interface Timing {
  medianSeconds: number;
  reps: number;
}

export async function timeIt(fn: () => unknown | Promise<unknown>, o: TimingOptions = {}): Promise<Timing> {
  const minTime = o.minTime ?? 0.3;
  const minReps = o.minReps ?? 5;
  const maxReps = o.maxReps ?? 1000;
  for (let i = 0; i < (o.warmup ?? 2); i++) await fn();
  const times: number[] = [];
  let spent = 0;
  while ((spent < minTime || times.length < minReps) && times.length < maxReps) {
    const t0 = performance.now();
    const r = fn();
    if (r instanceof Promise) await r;
    const dt = (performance.now() - t0) / 1000;
    times.push(dt);
    spent += dt;
  }
  times.sort((a, b) => a - b);
  return { medianSeconds: times[Math.floor(times.length / 2)], reps: times.length };
}
