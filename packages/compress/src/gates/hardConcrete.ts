// hardConcrete.ts — Hard-Concrete gates (Louizos, Welling & Kingma 2018; REFERENCE.md §3.1), one
// learnable log α per prunable unit:
//   training:  u ~ U(0,1), s = σ((log u − log(1−u) + log α)/β), z = clamp(s·(ζ−γ) + γ, 0, 1)
//   P(open) = P(z ≠ 0) = σ(log α − β·log(−γ/ζ))            (the expected-L0 term)
//   test:      ẑ = clamp(σ(log α)·(ζ−γ) + γ, 0, 1)
// with stretch (γ, ζ) = (−0.1, 1.1) and temperature β = 2/3 by default. The stretch puts mass on
// exactly 0 and 1, so gates really close and a closed unit can be cut out.
import { type Backend, noGrad, type Rng, Tensor } from '@edgeseg/autograd';

export interface HardConcreteOptions {
  beta?: number;
  gamma?: number;
  zeta?: number;
  /** Initial P(open) (log α is set so the deterministic gate starts at this openness). Default 0.9. */
  initOpen?: number;
}

export class HardConcrete {
  readonly logAlpha: Tensor;
  readonly beta: number;
  readonly gamma: number;
  readonly zeta: number;

  constructor(
    backend: Backend,
    readonly size: number,
    o: HardConcreteOptions = {},
    readonly name = 'gate',
  ) {
    this.beta = o.beta ?? 2 / 3;
    this.gamma = o.gamma ?? -0.1;
    this.zeta = o.zeta ?? 1.1;
    const p = o.initOpen ?? 0.9;
    if (!(p > 0 && p < 1)) throw new Error(`HardConcrete: initOpen must be in (0, 1), got ${p}.`);
    // log α with σ(log α − β·log(−γ/ζ)) = p
    const init = Math.log(p / (1 - p)) + this.beta * Math.log(-this.gamma / this.zeta);
    this.logAlpha = Tensor.param(backend, [size], new Float32Array(size).fill(init), name);
  }

  /** A stochastic gate sample z ∈ [0,1]^n (differentiable in log α). */
  sample(rng: Rng): Tensor {
    const be = this.logAlpha.backend;
    const noise = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const u = Math.min(1 - 1e-6, Math.max(1e-6, rng.float()));
      noise[i] = Math.log(u) - Math.log(1 - u);
    }
    const s = this.logAlpha
      .add(Tensor.from(be, [this.size], noise))
      .mul(1 / this.beta)
      .sigmoid();
    return s
      .mul(this.zeta - this.gamma)
      .add(this.gamma)
      .clamp(0, 1);
  }

  /** P(z ≠ 0) per unit, differentiable in log α. */
  pOpen(): Tensor {
    return this.logAlpha.sub(this.beta * Math.log(-this.gamma / this.zeta)).sigmoid();
  }

  /** The deterministic test-time gate ẑ per unit. */
  deterministic(): Float32Array {
    return noGrad(() => {
      const v = this.logAlpha.toArray();
      return Float32Array.from(v, (la) =>
        Math.min(1, Math.max(0, (1 / (1 + Math.exp(-la))) * (this.zeta - this.gamma) + this.gamma)),
      );
    });
  }

  /** The deterministic gate as a tensor without history. */
  deterministicTensor(): Tensor {
    const t = Tensor.from(this.logAlpha.backend, [this.size], this.deterministic());
    return t;
  }
}
