// energyLoss.ts — the Energy-Complexity term of the DSP loss (DESIGN §3.3):
//   L = L_task + α·L_distill + λ_E·r + λ·(r − t) + μ·max(0, r − t)²,   r = (E_fixed + Σ_u P(open_u)·E_u) / E_dense
// r is the expected cost of the gated model relative to the dense one (energy, MACs or params); t
// warms up linearly from 1 to the target. The budget is an inequality (r ≤ t), so its Lagrange
// multiplier λ is kept ≥ 0 by projected gradient ascent: it grows while r exceeds t and decays to 0
// once r is below, when the task loss may reopen gates — no wind-up that would overshoot far below
// the budget (an equality multiplier as in CoFiPruning did, on short runs). μ adds the quadratic
// budget penalty. Units are charged their own cost, so the gradient on a gate is proportional to its
// unit's energy.
import type { Tensor } from '@edgeseg/autograd';
import type { SegFormerGates } from '../gates/segformerGates.js';
import type { Objective } from './objective.js';

export interface EnergyLossOptions {
  /** Target fraction of the dense cost (0.35 = the paper's 65% saving). */
  target: number;
  /** Constant pressure on r (the paper's λ_E); 0 leaves it to the Lagrangian. */
  lambdaE?: number;
  /** Steps over which the target moves from 1 to `target`. */
  warmupSteps: number;
  /** Ascent rate of the Lagrange multiplier. */
  lagrangeLr?: number;
  /** Weight μ of the quadratic budget penalty max(0, r − t)². */
  mu?: number;
}

export class EnergyComplexityLoss {
  /** The Lagrange multiplier λ ≥ 0 of the budget constraint. */
  lambda1 = 0;

  constructor(
    /** The cost of the dense model the target is a fraction of (fixed across excisions). */
    readonly denseCost: number,
    readonly o: EnergyLossOptions,
  ) {
    if (!(o.target > 0 && o.target <= 1))
      throw new Error(`energy loss: target must be in (0, 1]. Got ${o.target}.`);
    if (!(denseCost > 0)) throw new Error(`energy loss: the dense cost must be > 0. Got ${denseCost}.`);
  }

  targetAt(step: number): number {
    const w = this.o.warmupSteps;
    const k = w > 0 ? Math.min(1, step / w) : 1;
    return 1 - (1 - this.o.target) * k;
  }

  /** The loss term and the expected cost ratio r (a number, for logging and the ascent). */
  term(
    gates: SegFormerGates,
    objective: Objective,
    step: number,
  ): { loss: Tensor; ratio: number; target: number } {
    const expected = gates.expectedCost((id) => {
      const c = objective.unitCost.get(id);
      if (c === undefined)
        throw new Error(`energy loss: no cost for unit "${id}" (objective out of date after excision?).`);
      return c;
    }, objective.fixed);
    const r = expected.mul(1 / this.denseCost);
    const ratio = r.item();
    const t = this.targetAt(step);
    const gap = r.sub(t);
    let loss = r.mul(this.o.lambdaE ?? 0).add(gap.mul(this.lambda1));
    if (ratio > t) loss = loss.add(gap.square().mul(this.o.mu ?? 10));
    return { loss, ratio, target: t };
  }

  /** Projected gradient ascent on λ after a step with expected ratio r. */
  update(ratio: number, step: number): void {
    const lr = this.o.lagrangeLr ?? 1;
    this.lambda1 = Math.max(0, this.lambda1 + lr * (ratio - this.targetAt(step)));
  }
}
