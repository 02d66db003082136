// barrier.ts — the team barrier of a threaded frame: JS Atomics on four i32 words of the shared
// kernel memory (count, generation, abort, failed member). The kernels need no atomics of their own:
// a barrier orders every member's plain WASM stores before every member's loads after it.
//
// A member spins up to SPIN_MS before sleeping (Atomics.wait): a futex wake-up costs from a few
// hundred microseconds to a millisecond or more on a VM (the halted vCPU has to be woken), and the
// members of a frame often arrive that far apart — most of all in the first barriers after an idle
// gap between frames, as at a capped camera rate. Measured on the 2-core VM, pruned student at
// 256×512 with a 100 ms pause between frames: 2 threads took 30.3 ms a frame with a 4000-iteration
// spin (≈ 20 µs), 31.0 with 0.5 ms, 17.4 with 2 ms (1 thread: 20–25 ms). The spin only burns CPU
// while a partner is late, and is bounded.
// A member that fails calls abort(): sleepers wake and throw instead of waiting forever.
import type { Team } from '../executor/run.js';

/** Bytes of shared memory a team's control words take. */
export const CONTROL_BYTES = 16;
const COUNT = 0;
const GEN = 1;
const ABORT = 2;
const FAILED = 3;
/** Milliseconds a member spins (Atomics.load) at a barrier before sleeping (see the header). */
const SPIN_MS = 2;
/** Spin iterations between two clock reads. */
const SPIN_CHECK = 1024;

export class TeamAborted extends Error {
  constructor(readonly failed: number) {
    super(`runtime: the frame was aborted because thread ${failed} failed.`);
    this.name = 'TeamAborted';
  }
}

export class AtomicsTeam implements Team {
  readonly dry = false;
  /** Barriers passed and milliseconds spent waiting at them since the last takeStats(). */
  private waits = 0;
  private waitMs = 0;

  constructor(
    private readonly words: Int32Array,
    readonly tid: number,
    readonly size: number,
  ) {
    if (words.length < 4)
      throw new Error(`AtomicsTeam: words must hold 4 i32. Expected ≥ 4, got ${words.length}.`);
  }

  /** Ready the words for a new frame (by the coordinator, while no member runs). */
  static reset(words: Int32Array): void {
    Atomics.store(words, COUNT, 0);
    Atomics.store(words, ABORT, 0);
    Atomics.store(words, FAILED, -1);
  }

  /** Wake every sleeper and make every barrier throw (member `failed` failed; −1 = the coordinator). */
  static abort(words: Int32Array, failed: number): void {
    if (Atomics.compareExchange(words, ABORT, 0, 1) === 0) Atomics.store(words, FAILED, failed);
    Atomics.add(words, GEN, 1);
    Atomics.notify(words, GEN);
  }

  abort(): void {
    AtomicsTeam.abort(this.words, this.tid);
  }

  /** Barrier count and wait time since the last call (how much of a frame went to imbalance). */
  takeStats(): { barriers: number; waitMs: number } {
    const s = { barriers: this.waits, waitMs: this.waitMs };
    this.waits = 0;
    this.waitMs = 0;
    return s;
  }

  barrier(): void {
    const w = this.words;
    const gen = Atomics.load(w, GEN);
    this.checkAbort();
    this.waits++;
    if (Atomics.add(w, COUNT, 1) === this.size - 1) {
      // Last to arrive: reset the count before releasing anyone, so the next barrier starts at 0.
      Atomics.store(w, COUNT, 0);
      Atomics.add(w, GEN, 1);
      Atomics.notify(w, GEN);
      return;
    }
    const t0 = performance.now();
    try {
      for (let i = 1; ; i++) {
        if (Atomics.load(w, GEN) !== gen) {
          this.checkAbort();
          return;
        }
        if (i % SPIN_CHECK === 0 && performance.now() - t0 > SPIN_MS) break;
      }
      while (Atomics.load(w, GEN) === gen) Atomics.wait(w, GEN, gen);
      this.checkAbort();
    } finally {
      this.waitMs += performance.now() - t0;
    }
  }

  private checkAbort(): void {
    if (Atomics.load(this.words, ABORT) !== 0) throw new TeamAborted(Atomics.load(this.words, FAILED));
  }
}
