// families/measure.ts — what the GEMM and softmax benchmarks share. A case (one shape of one op) is
// a list of contestants — our SIMD kernels, the peers, and the SIMD ceiling's loop — timed in rounds,
// one call of each per round, so that on a shared machine a burst of load hits them alike and the
// ratios between them hold; the medians are per contestant. Slow contestants (scalar kernels, TS twins)
// are timed on their own afterwards. Then every result is checked.
import type { Isa, Kernels } from '@edgeseg/kernels';
import type { CeilingKind } from '../ceiling.js';
import type { OrtKind } from '../peers/ort.js';
import { ortStatus } from '../peers/ort.js';
import { tfjsStatus } from '../peers/tfjs.js';
import type { Row } from '../report.js';
import { batchFor, sample, type TimingOptions, timeIt } from '../timing.js';
import type { BenchContext } from './context.js';

export interface Contestant {
  impl: string;
  fn: () => unknown;
  /** Work per call in the case's unit (default: the case's work). */
  work?: number;
  /** Timed on its own after the rounds (scalar kernels), with these options if given (TS twins). */
  alone?: boolean | TimingOptions;
  note?: string;
  /** After timing, on the last call's result: throws for ours, returns what was wrong for a peer. */
  verify?: () => string | undefined;
}

export interface Case {
  family: string;
  /** Shape column, e.g. `512×512×512 square`. */
  shape: string;
  unit: Row['unit'];
  work: number;
  contestants: Contestant[];
  /** Which ceiling an implementation is held to (its loop is timed in the rounds); none = no ceiling. */
  ceilingOf?: (impl: string) => CeilingKind | undefined;
  /** Copied to every row (Row.group). */
  group?: string;
}

/** Times a case's contestants and checks their results: one row each, in the given order. */
export async function runCase(ctx: BenchContext, c: Case): Promise<Row[]> {
  const together = c.contestants.filter((x) => !x.alone);
  const kinds = [
    ...new Set(together.map((x) => c.ceilingOf?.(x.impl)).filter((k): k is CeilingKind => k !== undefined)),
  ];
  const probes = kinds.flatMap((kind) => {
    const p = ctx.probe?.(kind);
    return p ? [{ kind, p }] : [];
  });
  const medians = await rounds(ctx, [
    ...together.map((x) => x.fn),
    ...probes.map(
      ({ p }) =>
        () =>
          p.run(),
    ),
  ]);
  const seconds = new Map<Contestant, number>(together.map((x, i) => [x, medians[i]]));
  const ceilingRate = new Map(
    probes.map(({ kind, p }, i) => [kind, p.ops / medians[together.length + i] / 1e9]),
  );
  for (const x of c.contestants) {
    if (!x.alone) continue;
    const timing = typeof x.alone === 'object' ? { ...ctx, timing: x.alone } : ctx;
    seconds.set(x, await measure(timing, x.fn));
  }
  const out: Row[] = [];
  for (const x of c.contestants) {
    const row = makeRow(c.family, x.impl, c.shape, seconds.get(x) ?? Number.NaN, x.work ?? c.work, c.unit);
    if (x.note) row.note = x.note;
    if (c.group) row.group = c.group;
    const kind = c.ceilingOf?.(x.impl);
    const rate = kind && ceilingRate.get(kind);
    if (rate && !x.alone) {
      row.ceiling = rate;
      row.ratio_vs.ceiling = row.gops / rate;
    }
    const wrong = x.verify?.();
    if (wrong) {
      row.wrong = wrong;
      ctx.log(`${x.impl}: wrong result, left out of the ratios: ${wrong}`);
    }
    out.push(row);
  }
  return out;
}

/** Medians of calls made in rounds (one call — or one batch of short calls — of each function per round), after warm-up. */
async function rounds(ctx: BenchContext, fns: (() => unknown)[]): Promise<number[]> {
  const o = ctx.timing;
  // The first call of each warms it up and tells how long a call takes: calls over a quarter
  // second get 3 rounds instead of the context's minimum, calls under 2 ms are batched.
  const firsts: number[] = [];
  for (const f of fns) firsts.push(await sample(f, 1, o.clock));
  const batches = firsts.map(batchFor);
  const heavy = Math.max(...firsts) > 0.25;
  for (let w = 0; w < (heavy ? 0 : Math.max(0, (o.warmup ?? 2) - 1)); w++)
    for (let i = 0; i < fns.length; i++) await sample(fns[i], batches[i], o.clock);
  const minReps = heavy ? Math.min(3, o.minReps ?? 5) : (o.minReps ?? 5);
  const minTime = o.minTime ?? 0.3;
  const times = fns.map(() => [] as number[]);
  const spent = fns.map(() => 0);
  let n = 0;
  // Until the slowest contestant has had minTime (and everyone minReps samples).
  while (n < (o.maxReps ?? 1000) && (n < minReps || Math.max(...spent) < minTime)) {
    for (let i = 0; i < fns.length; i++) {
      const dt = await sample(fns[i], batches[i], o.clock);
      times[i].push(dt);
      spent[i] += dt * batches[i];
    }
    n++;
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

/**
 * Median seconds per call of one function on its own. The first call is untimed (it warms up, and
 * tells how long a call takes): calls over a quarter second then get 3 timed repetitions; calls under
 * 2 ms are timed in batches (timeIt).
 */
export async function measure(ctx: Pick<BenchContext, 'timing'>, fn: () => unknown): Promise<number> {
  const first = await sample(fn, 1, ctx.timing.clock);
  const warmup = Math.max(0, (ctx.timing.warmup ?? 2) - 1);
  const heavy = first > 0.25;
  const t = await timeIt(fn, {
    ...ctx.timing,
    warmup: heavy ? 0 : warmup,
    minReps: heavy ? Math.min(3, ctx.timing.minReps ?? 5) : ctx.timing.minReps,
  });
  return t.medianSeconds;
}

export function makeRow(
  family: string,
  impl: string,
  shape: string,
  seconds: number,
  work: number,
  unit: Row['unit'],
): Row {
  return { family, impl, shape, median_s: seconds, gops: work / seconds / 1e9, unit, ratio_vs: {} };
}

/** Whether a peer was asked for (--peers) and loads here; the first time, records and logs its status. */
export async function peerAvailable(ctx: BenchContext, peer: OrtKind | 'tfjs'): Promise<boolean> {
  if (!ctx.peers.has(peer)) return false;
  let status = ctx.peerStatus.get(peer);
  if (status === undefined) {
    status = peer === 'tfjs' ? await tfjsStatus() : await ortStatus(peer);
    ctx.peerStatus.set(peer, status);
    if (status.startsWith('unavailable')) ctx.log(`${peer}: ${status}; its rows are skipped.`);
  }
  return !status.startsWith('unavailable');
}

/** `512×512×512 square` — the shape column of a GEMM row. */
export function gemmLabel(s: { m: number; n: number; k: number; name: string }): string {
  return `${s.m}×${s.n}×${s.k} ${s.name}`;
}

/** `kernel=gemm_i8_4x8c2__simd (mr×nr×kr=4×8×2)`: the export a wrapper calls for `op` in this ISA. */
export function kernelNote(k: Kernels, op: string, isa: Isa): string {
  const info = k.pick(op, isa);
  const t = info.tile;
  return `kernel=${info.name}${t ? ` (mr×nr×kr=${t.mr}×${t.nr}×${t.kr})` : ''}`;
}
