// run.ts — how one frame runs on one or several threads. Every thread of a team runs the same frame
// program (SPMD) over its own band of rows and meets the others at a barrier wherever an op reads
// rows another thread wrote (a convolution's neighbours, attention's keys and values, a resize).
// A team of one (SOLO) is the single-thread executor: its band is every row and its barrier is free.
//
// Buffers are planned by a dry run: the same program with kernels that check their arguments but do
// nothing, so that every workspace buffer of every thread exists before workers (which cannot
// allocate) run the frame for real.
import type { Kernels } from '@edgeseg/kernels';
import type { OpProfile } from './profile.js';
import type { Scratch, Workspace } from './workspace.js';

export interface Team {
  /** This thread's index in the team, 0 … size−1. */
  readonly tid: number;
  readonly size: number;
  /** Returns once every member has arrived (throws if another member failed). */
  barrier(): void;
  /** A planning pass: kernels are not run and JS loops over tensor data are skipped. */
  readonly dry: boolean;
}

export const SOLO: Team = { tid: 0, size: 1, barrier() {}, dry: false };

/** One thread's context while running a frame. */
export interface Run {
  /** The kernels to call (a dry twin when planning). */
  readonly k: Kernels;
  readonly team: Team;
  /** Buffers every member sees. */
  readonly ws: Workspace;
  /** This member's own buffers. */
  readonly local: Scratch;
  /** Names each op as it starts, when profiling (profile.ts). */
  readonly prof?: OpProfile;
}

export function soloRun(k: Kernels, ws: Workspace, prof?: OpProfile): Run {
  return { k, team: SOLO, ws, local: ws.local(0), ...(prof ? { prof } : {}) };
}

/** Member `tid`'s share [lo, hi) of n rows (contiguous, sizes differ by at most one). */
export function shareOf(n: number, tid: number, size: number): [number, number] {
  return [Math.floor((n * tid) / size), Math.floor((n * (tid + 1)) / size)];
}

export function share(n: number, team: Team): [number, number] {
  return shareOf(n, team.tid, team.size);
}

/**
 * A twin of `k` whose kernels check nothing more than the wrappers do and run nothing, and whose
 * arena refuses to allocate: a wrapper that would borrow scratch from the arena inside a frame is a
 * bug (a worker could not), and planning finds it on the owning thread with a clear message.
 */
export function dryKernels(k: Kernels): Kernels {
  const dry = Object.create(k) as Kernels;
  const noop = () => undefined;
  Object.defineProperty(dry, 'fn', { value: () => noop });
  Object.defineProperty(dry, 'alloc', {
    value: (dtype: string, length: number) => {
      throw new Error(
        `runtime: a kernel wrapper allocated ${length} ${dtype} inside a frame. Expected every scratch buffer ` +
          'from the workspace (workers cannot allocate).',
      );
    },
  });
  return dry;
}
