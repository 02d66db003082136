// energyLoss.ts — the Energy-Complexity term of the DSP loss (DESIGN §3.3):
//   L = L_task + α·L_distill + λ_E·r + λ1·(r − t) + λ2·(r − t)²,   r = (E_fixed + Σ_u P(open_u)·E_u) / E_dense
// r is the expected cost of the gated model relative to the dense one (energy, MACs or params); the
// Lagrangian terms (CoFiPruning) drive r to the target t, which warms up linearly from 1; λ1 and λ2
// are raised by gradient ascent, so the pressure grows while r stays above t. Units are charged
// their own cost, so the gradient on a gate is proportional to its unit's energy.
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
  /** Ascent rate of the Lagrange multipliers. */
  lagrangeLr?: number;
}

export class EnergyComplexityLoss {
  lambda1 = 0;
  lambda2 = 0;

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
    const loss = r
      .mul(this.o.lambdaE ?? 0)
      .add(gap.mul(this.lambda1))
      .add(gap.square().mul(this.lambda2));
    return { loss, ratio, target: t };
  }

  /** Gradient ascent on the multipliers after a step with expected ratio r. */
  update(ratio: number, step: number): void {
    const lr = this.o.lagrangeLr ?? 0.5;
    const gap = ratio - this.targetAt(step);
    this.lambda1 += lr * gap;
    this.lambda2 += lr * gap * gap;
  }
}
