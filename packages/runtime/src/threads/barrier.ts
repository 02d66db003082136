// barrier.ts — the team barrier of a threaded frame: JS Atomics on four i32 words of the shared
// kernel memory (count, generation, abort, failed member). The kernels need no atomics of their own:
// a barrier orders every member's plain WASM stores before every member's loads after it.
//
// A member spins briefly before sleeping (Atomics.wait): in a frame the others usually arrive
// within microseconds, and a futex wake-up costs a few hundred microseconds on a busy machine.
// A member that fails calls abort(): sleepers wake and throw instead of waiting forever.
import type { Team } from '../executor/run.js';

/** Bytes of shared memory a team's control words take. */
export const CONTROL_BYTES = 16;
const COUNT = 0;
const GEN = 1;
const ABORT = 2;
const FAILED = 3;
/** Spin iterations (Atomics.load) before sleeping. */
const SPIN = 4000;

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
      for (let i = 0; i < SPIN; i++) {
        if (Atomics.load(w, GEN) !== gen) {
          this.checkAbort();
          return;
        }
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
