// dspStage.ts — Dynamic Structural Pruning (the paper's first pillar) as a resumable stage:
// Hard-Concrete gates on every prunable unit, trained under task + distillation + the
// Energy-Complexity term; every `exciseEvery` steps, units whose deterministic gate has been closed
// for `exciseAfter` consecutive checks are cut out for real and training continues on the smaller
// (faster) model; at the end the deterministic gates decide what stays — trimmed, if needed, to the
// cost budget — and are folded into the excised float model this stage outputs.
import {
  AdamW,
  type Backend,
  channelWiseDistill,
  klDistill,
  noGrad,
  ops,
  polyLr,
  Rng,
  type Tensor,
  tidy,
} from '@edgeseg/autograd';
import { SegFormer, type SegFormerArch, segformerCost } from '@edgeseg/models';
import type { EnergyProfile, Precision } from '../energy/profile.js';
import type { HardConcrete } from '../gates/hardConcrete.js';
import { type GateOptions, SegFormerGates } from '../gates/segformerGates.js';
import { type BatchSource, imagesToTensor } from '../train/batchSource.js';
import { checkpointArch, loadTrainingState, saveFloatModel, saveTrainingState } from '../train/modelFile.js';
import type { StageDir } from '../train/stageDir.js';
import { bindModelRng } from '../train/trainLoop.js';
import { EnergyComplexityLoss } from './energyLoss.js';
import { excise, excisedArch, exciseGates, moveOptimizerState, planFromGates } from './excise.js';
import { archCost, type ObjectiveKind, objectiveFor } from './objective.js';

/** How far below the budget the final architecture may land (the issue's ±5%). */
export const BUDGET_TOLERANCE = 0.05;

export interface DistillConfig {
  /** Weight α of the distillation loss. */
  alpha: number;
  temperature: number;
  /** Weight of channel-wise distillation on the logits (0 = off). */
  cwd: number;
}

export interface DspConfig {
  steps: number;
  lr: number;
  gateLr: number;
  weightDecay: number;
  warmupSteps: number;
  objective: ObjectiveKind;
  profile: EnergyProfile;
  precision: Precision;
  /** Resolution the cost is modelled at (the deployment resolution). */
  costSize: [number, number];
  target: number;
  lambdaE: number;
  /** Steps over which the cost target moves from 1 to `target`. */
  targetWarmup: number;
  lagrangeLr: number;
  /** Weight of the quadratic budget penalty. */
  mu: number;
  distill: DistillConfig | null;
  exciseEvery: number;
  exciseAfter: number;
  checkpointEvery: number;
  seed: number;
  gates: GateOptions;
}

export interface DspHistoryPoint {
  step: number;
  loss: number;
  task: number;
  distill: number;
  /** Expected cost / dense cost under the gates' P(open). */
  expected: number;
  target: number;
  /** Cost of the current (excised) architecture / dense cost. */
  arch: number;
  stepsPerSecond: number;
}

export interface DspResult {
  model: SegFormer;
  arch: SegFormerArch;
  history: DspHistoryPoint[];
  excisions: { step: number; cut: string[]; stepsPerSecondBefore: number }[];
  cut: string[];
  costRatio: number;
  gateValues: Record<string, number[]>;
  gateTrace: GateTrace;
}

/**
 * Deterministic gate values of every gated layer over training, indexed by the layer's dense units:
 * `layers[name][i][u]` is unit u at `steps[i]`, null once the unit has been cut out.
 */
export interface GateTrace {
  steps: number[];
  layers: Record<string, (number | null)[][]>;
}

export interface StageIo {
  log(msg: string): void;
  progress?(done: number, total: number, info: string): void;
  /** Checked between steps; true = save a checkpoint and stop (SIGINT). */
  shouldStop?(): boolean;
}

type GateLike = HardConcrete | null;

function gateList(g: SegFormerGates): { name: string; gate: GateLike }[] {
  const out: { name: string; gate: GateLike }[] = [];
  g.heads.forEach((bs, s) => {
    bs.forEach((x, j) => {
      out.push({ name: `s${s + 1}.b${j}.heads`, gate: x });
    });
  });
  g.ffnGroups.forEach((bs, s) => {
    bs.forEach((x, j) => {
      out.push({ name: `s${s + 1}.b${j}.ffn_groups`, gate: x });
    });
  });
  g.ffnBlocks.forEach((bs, s) => {
    bs.forEach((x, j) => {
      out.push({ name: `s${s + 1}.b${j}.ffn`, gate: x });
    });
  });
  g.decC.forEach((x, i) => {
    out.push({ name: `dec.c${i + 1}`, gate: x });
  });
  out.push({ name: 'dec.fuse', gate: g.decFuse });
  return out;
}

/**
 * Point every dropout / drop-path of `model` at the stage's RNG, whose state the checkpoint carries,
 * so a resumed run draws the same masks as an uninterrupted one.
 */

function makeOptimizer(model: SegFormer, gates: SegFormerGates, c: DspConfig): AdamW {
  const head = new Set(model.head.parameters());
  return new AdamW(
    [
      { params: model.parameters().filter((p) => !head.has(p)) },
      { params: [...head], lrMult: 10 },
      { params: gates.parameters(), lrMult: c.gateLr / c.lr, weightDecay: 0 },
    ],
    c.lr,
    c.weightDecay,
  );
}

/** Units (by cost-model id) that a plan removes, for the record. */
function cutUnits(before: SegFormerArch, plan: ReturnType<typeof planFromGates>): string[] {
  const cut: string[] = [];
  before.blocks.forEach((blocks, s) => {
    blocks.forEach((b, j) => {
      const h = plan.heads[s][j].keep;
      for (let i = 0; i < b.heads; i++) if (!h.includes(i)) cut.push(`s${s + 1}.b${j}.head${i}`);
      if (b.ffn > 0 && plan.ffn[s][j].keep.length === 0) cut.push(`s${s + 1}.b${j}.ffn`);
      else
        for (let i = 0; i < b.ffn / 16; i++)
          if (!plan.ffn[s][j].keep.includes(i)) cut.push(`s${s + 1}.b${j}.ffn.g${i}`);
    });
  });
  before.decoder.cDims.forEach((d, i) => {
    for (let g = 0; g < d / 16; g++) if (!plan.decC[i].keep.includes(g)) cut.push(`dec.c${i + 1}.g${g}`);
  });
  for (let g = 0; g < before.decoder.fuseDim / 16; g++)
    if (!plan.decFuse.keep.includes(g)) cut.push(`dec.fuse.g${g}`);
  return cut;
}

/** The largest k in [0, n] with ok(k) true, for ok monotone (true up to some k, false after). */
function largestOk(n: number, ok: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Units open (or closed) under a z function — heads, FFN groups, whole FFNs, decoder groups — lowest
 * log α first. Whole-FFN gates are ordered with the rest: cutting them outside the order dropped the
 * cost below the budget in one excision (0.353 → 0.317 of dense against a 0.35 target).
 */
function openLeaves(gates: SegFormerGates, z: (g: HardConcrete) => Float32Array, open: boolean) {
  const out: { g: HardConcrete; i: number; la: number; dec: boolean }[] = [];
  for (const { name, gate } of gateList(gates)) {
    if (!gate) continue;
    const zv = z(gate);
    const la = gate.logAlpha.toArray();
    for (let i = 0; i < gate.size; i++)
      if (zv[i] > 0 === open) out.push({ g: gate, i, la: la[i], dec: name.startsWith('dec') });
  }
  return out.sort((a, b) => a.la - b.la);
}

/**
 * The final plan, brought into [floor, budget]. Every unit of the current model is a candidate,
 * lowest log α first (so the units the gates closed come first, in the gates' order); candidates
 * are closed first-fit: one whose closing keeps the cost at or above `floor` is closed, one that
 * would drop below it is skipped (it is big — say a whole FFN — and a smaller unit later in the
 * order may fit), until the cost is within `budget`. Stopping at the first misfit, or taking the
 * gates' deterministic values as they are, left plans 10 % under the budget on B0. If no such
 * subset exists (units too coarse), the budget wins: units are closed in order until the cost is
 * within it. Costs are exact (the excised architecture's cost model).
 */
export function planForBudget(
  gates: SegFormerGates,
  cost: (arch: SegFormerArch) => number,
  budget: number,
  floor: number,
): ReturnType<typeof planFromGates> {
  const ones = (g: HardConcrete) => new Float32Array(g.size).fill(1);
  const withClosed = (closed: { g: HardConcrete; i: number }[]) => (g: HardConcrete) => {
    const z = ones(g);
    for (const c of closed) if (c.g === g) z[c.i] = 0;
    return z;
  };
  // A decoder projection or the fused features must keep one group: planFromGates keeps the best.
  const costOf = (closed: { g: HardConcrete; i: number }[]) =>
    cost(excisedArch(gates.model.arch, planFromGates(gates, withClosed(closed))));
  const cands = openLeaves(gates, ones, true);
  const closed: { g: HardConcrete; i: number }[] = [];
  let now = costOf(closed);
  for (const cand of cands) {
    if (now <= budget) break;
    const c = costOf([...closed, cand]);
    if (c >= floor && c < now) {
      closed.push(cand);
      now = c;
    }
  }
  if (now <= budget) return planFromGates(gates, withClosed(closed));
  const k = largestOk(cands.length, (n) => n === 0 || costOf(cands.slice(0, n - 1)) > budget);
  return planFromGates(gates, withClosed(cands.slice(0, k)));
}

/** The current unit indices a plan keeps, per gate. */
function planKeeps(
  g: SegFormerGates,
  plan: ReturnType<typeof planFromGates>,
): Map<HardConcrete, Set<number>> {
  const out = new Map<HardConcrete, Set<number>>();
  const put = (gate: GateLike, keep: number[]) => {
    if (gate) out.set(gate, new Set(keep));
  };
  g.heads.forEach((bs, s) => {
    bs.forEach((x, j) => {
      put(x, plan.heads[s][j].keep);
    });
  });
  g.ffnGroups.forEach((bs, s) => {
    bs.forEach((x, j) => {
      put(x, plan.ffn[s][j].keep);
    });
  });
  g.ffnBlocks.forEach((bs, s) => {
    bs.forEach((x, j) => {
      put(x, plan.ffn[s][j].out > 0 ? [0] : []);
    });
  });
  g.decC.forEach((x, i) => {
    put(x, plan.decC[i].keep);
  });
  put(g.decFuse, plan.decFuse.keep);
  return out;
}

export async function runDsp(a: {
  dir: StageDir;
  backend: Backend;
  student: SegFormer;
  teacher: SegFormer | null;
  source: BatchSource;
  config: DspConfig;
  io: StageIo;
}): Promise<DspResult | null> {
  const { dir, backend: be, teacher, source, config: c, io } = a;
  const rng = new Rng(c.seed);
  const denseArch = a.student.arch;
  const objectiveOf = (arch: SegFormerArch) =>
    objectiveFor(arch, c.costSize, c.objective, c.profile, c.precision);
  const dense = objectiveOf(denseArch);
  const loss = new EnergyComplexityLoss(dense.total, {
    target: c.target,
    lambdaE: c.lambdaE,
    warmupSteps: c.targetWarmup,
    lagrangeLr: c.lagrangeLr,
    mu: c.mu,
  });

  let model = a.student;
  bindModelRng(model, rng);
  let gates = new SegFormerGates(model, c.gates);
  let opt = makeOptimizer(model, gates, c);
  let start = 0;
  let history: DspHistoryPoint[] = [];
  let excisions: DspResult['excisions'] = [];
  let counters = new Map<string, number[]>();
  // Dense index of every current unit of each gated layer, so the trace stays on dense positions.
  let unitIndex = new Map<string, number[]>();
  for (const { name, gate } of gateList(gates)) if (gate) unitIndex.set(name, [...Array(gate.size).keys()]);
  const denseSize = new Map([...unitIndex].map(([k, v]) => [k, v.length]));
  let trace: GateTrace = { steps: [], layers: {} };
  const record = (step: number, closed?: (g: HardConcrete) => Float32Array) => {
    trace.steps.push(step);
    for (const { name, gate } of gateList(gates)) {
      const n = denseSize.get(name);
      if (n === undefined) continue;
      const row: (number | null)[] = new Array(n).fill(null);
      if (gate) {
        const z = closed ? closed(gate) : gate.deterministic();
        const idx = unitIndex.get(name) ?? [];
        for (let i = 0; i < z.length && i < idx.length; i++) row[idx[i]] = Math.round(z[i] * 1e4) / 1e4;
      }
      (trace.layers[name] ??= []).push(row);
    }
  };

  if (dir.hasCheckpoint()) {
    // Resume: the checkpoint holds the architecture the model had shrunk to.
    const arch = checkpointArch(dir.checkpointPath) ?? denseArch;
    model.dispose();
    model = new SegFormer(be, arch, new Rng(c.seed));
    bindModelRng(model, rng);
    gates = new SegFormerGates(model, c.gates);
    opt = makeOptimizer(model, gates, c);
    const meta = loadTrainingState(dir.checkpointPath, {
      model,
      gates: gates.parameters(),
      optimizer: opt,
      rng,
    });
    start = Number(meta.step);
    const state = JSON.parse(meta.dsp ?? '{}');
    history = state.history ?? [];
    excisions = state.excisions ?? [];
    counters = new Map(Object.entries(state.counters ?? {}));
    loss.lambda1 = state.lambda1 ?? 0;
    trace = state.trace ?? trace;
    unitIndex = new Map(Object.entries(state.unitIndex ?? {}));
    io.log(`dsp: resuming at step ${start}/${c.steps} (${model.numParameters()} params)`);
  }
  let objective = objectiveOf(model.arch);

  const save = (step: number) =>
    saveTrainingState(dir.checkpointPath, {
      model,
      gates: gates.parameters(),
      optimizer: opt,
      rng,
      meta: {
        step: String(step),
        arch: JSON.stringify(model.arch),
        dsp: JSON.stringify({
          history,
          excisions,
          counters: Object.fromEntries(counters),
          lambda1: loss.lambda1,
          trace,
          unitIndex: Object.fromEntries(unitIndex),
        }),
      },
    });

  model.train();
  teacher?.eval();
  let t0 = performance.now();
  let timedSteps = 0;
  let rate = 0;
  for (let step = start; step < c.steps; step++) {
    if (io.shouldStop?.()) {
      save(step);
      io.log(`dsp: stopped at step ${step}; a rerun resumes here.`);
      return null;
    }
    const batch = await source.get(step);
    opt.lr = polyLr(
      { baseLr: c.lr, totalSteps: c.steps, warmupSteps: c.warmupSteps, warmupRatio: 1e-6 },
      step,
    );
    // Gates learn at a constant rate: a decaying one would freeze them before the budget is met.
    opt.groups[2].lrMult = c.gateLr / Math.max(opt.lr, 1e-12);
    const [, , H, W] = batch.shape;
    const m = tidy(() => {
      opt.zeroGrad();
      gates.apply('sample', rng);
      const x = imagesToTensor(be, batch);
      const logits = model.forward(x);
      const task = ops.crossEntropy(ops.resize(logits, H, W), batch.labels);
      let total: Tensor = task;
      let distill = 0;
      if (teacher && c.distill) {
        const t = noGrad(() => teacher.forward(x));
        let d = klDistill(logits, t, c.distill.temperature);
        if (c.distill.cwd > 0)
          d = d.add(channelWiseDistill(logits, t, c.distill.temperature).mul(c.distill.cwd));
        distill = d.item();
        total = total.add(d.mul(c.distill.alpha));
      }
      const ct = loss.term(gates, objective, step);
      total = total.add(ct.loss);
      total.backward();
      opt.update();
      gates.apply('off');
      return { loss: total.item(), task: task.item(), distill, expected: ct.ratio, target: ct.target };
    });
    // A NaN would otherwise flow into the gates and the Lagrange multiplier and run to the end.
    if (!Number.isFinite(m.loss) || !Number.isFinite(m.expected)) {
      throw new Error(
        `dsp: the loss became ${m.loss} (expected cost ${m.expected}) at step ${step}. Expected finite values; lower the learning rate (now ${c.lr}) or the gate learning rate (now ${c.gateLr}).`,
      );
    }
    loss.update(m.expected, step);
    timedSteps++;
    if (timedSteps % 5 === 0) {
      rate = (5 * 1000) / (performance.now() - t0);
      t0 = performance.now();
    }
    const archRatio = objective.total / dense.total;
    if (step % 5 === 0 || step === c.steps - 1) {
      history.push({ step, ...m, arch: archRatio, stepsPerSecond: rate });
      record(step);
    }
    io.progress?.(
      step + 1,
      c.steps,
      `loss ${m.loss.toFixed(3)} E/E0 ${m.expected.toFixed(3)}→${m.target.toFixed(3)} arch ${archRatio.toFixed(3)}`,
    );

    // Dynamic excision: cut units closed for exciseAfter consecutive checks.
    if ((step + 1) % c.exciseEvery === 0 && step + 1 < c.steps) {
      let any = false;
      const zCut = new Map<HardConcrete, Float32Array>();
      for (const { name, gate } of gateList(gates)) {
        if (!gate) continue;
        const z = gate.deterministic();
        const cnt = counters.get(name) ?? new Array<number>(gate.size).fill(0);
        const cut = new Float32Array(gate.size).fill(1);
        for (let i = 0; i < gate.size; i++) {
          cnt[i] = z[i] === 0 ? cnt[i] + 1 : 0;
          if (cnt[i] >= c.exciseAfter) {
            cut[i] = 0;
            any = true;
          }
        }
        counters.set(name, cnt);
        zCut.set(gate, cut);
      }
      if (any) {
        // Never cut below the budget: a Lagrangian overshoot would otherwise be locked in. Cut the
        // closed units with the lowest log α first, as many as keep the cost at or above target.
        const cands = openLeaves(gates, (g) => zCut.get(g) ?? new Float32Array(g.size).fill(1), false);
        const zWith = (n: number) => (g: HardConcrete) => {
          const z = new Float32Array(g.size).fill(1);
          for (const cnd of cands.slice(0, n)) if (cnd.g === g) z[cnd.i] = 0;
          return z;
        };
        const floorCost = c.target * dense.total;
        const costFn = (arch: SegFormerArch) =>
          archCost(arch, c.costSize, c.objective, c.profile, c.precision);
        const k = largestOk(
          cands.length,
          (n) => costFn(excisedArch(model.arch, planFromGates(gates, zWith(n)))) >= floorCost,
        );
        const plan = planFromGates(gates, zWith(k));
        const cut = cutUnits(model.arch, plan);
        if (cut.length > 0) {
          const before = model.numParameters();
          const ex = excise(model, plan, new Rng(c.seed + step));
          const nextGates = exciseGates(gates, ex, opt);
          moveOptimizerState(opt, model, ex);
          // Counters follow their units to their new positions.
          const next = new Map<string, number[]>();
          const nextIndex = new Map<string, number[]>();
          for (const { name, gate } of gateList(gates)) {
            const cnt = counters.get(name);
            const keep = gate
              ? [...(zCut.get(gate) ?? [])]
                  .map((v, i) => [v, i])
                  .filter(([v]) => v > 0)
                  .map(([, i]) => i)
              : [];
            if (cnt)
              next.set(
                name,
                keep.map((i) => cnt[i]),
              );
            const idx = unitIndex.get(name);
            if (idx) nextIndex.set(name, gate ? keep.map((i) => idx[i]) : []);
          }
          counters = next;
          unitIndex = nextIndex;
          model.dispose();
          model = ex.model;
          model.train();
          bindModelRng(model, rng);
          gates = nextGates;
          objective = objectiveOf(model.arch);
          excisions.push({ step: step + 1, cut, stepsPerSecondBefore: rate });
          io.log(
            `dsp: step ${step + 1}: cut ${cut.length} units, ${before} → ${model.numParameters()} params, cost ${(objective.total / dense.total).toFixed(3)} of dense`,
          );
        }
      }
    }
    if ((step + 1) % c.checkpointEvery === 0 && step + 1 < c.steps) save(step + 1);
  }

  // Final: deterministic gates, trimmed to the budget, folded into the weights.
  const budget = c.target * dense.total;
  const costFn = (arch: SegFormerArch) => archCost(arch, c.costSize, c.objective, c.profile, c.precision);
  const plan = planForBudget(gates, costFn, budget, (1 - BUDGET_TOLERANCE) * budget);
  const gateValues: Record<string, number[]> = {};
  for (const { name, gate } of gateList(gates)) if (gate) gateValues[name] = [...gate.deterministic()];
  // The last trace point is the architecture as cut: units the budget plan closes read 0.
  const kept = planKeeps(gates, plan);
  record(c.steps, (g) => {
    const k = kept.get(g);
    return g.deterministic().map((v, i) => (k && !k.has(i) ? 0 : v));
  });
  const cut = [...excisions.flatMap((e) => e.cut), ...cutUnits(model.arch, plan)];
  const ex = excise(model, plan, new Rng(c.seed + 1));
  model.dispose();
  const finalModel = ex.model;
  const costRatio = archCost(ex.arch, c.costSize, c.objective, c.profile, c.precision) / dense.total;
  saveFloatModel(dir.path('model.safetensors'), finalModel, { stage: 'dsp', seed: String(c.seed) });
  io.log(
    `dsp: final architecture costs ${(100 * costRatio).toFixed(1)}% of dense (${c.objective}, target ${(100 * c.target).toFixed(0)}%), ` +
      `${finalModel.numParameters()} params, ${(segformerCost(ex.arch, c.costSize[0], c.costSize[1]).total.macs / 1e9).toFixed(3)} GMAC at ${c.costSize.join('x')}`,
  );
  return {
    model: finalModel,
    arch: ex.arch,
    history,
    excisions,
    cut,
    costRatio,
    gateValues,
    gateTrace: trace,
  };
}
