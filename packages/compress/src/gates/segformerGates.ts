// segformerGates.ts — Hard-Concrete gates on every prunable unit of a SegFormer: attention heads,
// Mix-FFN channel groups of 16, whole FFNs, and decoder channel groups (each stage projection and
// the fused features). `apply` hands the model its gate tensors for a forward pass; `expected`
// gives each unit's probability of being open, the quantity the Energy-Complexity loss charges.
//
// Hierarchy: a head's attention sub-layer as a whole (proj bias, sr conv, norm) is open when any
// head is: its gate is 1 − Π(1 − z_h), so closing every head removes the sub-layer exactly as
// excision does; an FFN group is open when its group gate and its block's FFN gate are.
import { type Backend, type Rng, Tensor } from '@edgeseg/autograd';
import { GROUP, type SegFormer } from '@edgeseg/models';
import { HardConcrete, type HardConcreteOptions } from './hardConcrete.js';

export interface GateOptions extends HardConcreteOptions {
  heads?: boolean;
  ffnGroups?: boolean;
  ffnBlocks?: boolean;
  decoder?: boolean;
}

/** 1 − Π(1 − p), computed as 1 − exp(Σ log(1 − p)) (differentiable; 1 − p floored at 1e-6). */
export function anyOpen(p: Tensor): Tensor {
  const closed = p.neg().add(1).clamp(1e-6, 1).log().sum();
  return closed.exp().neg().add(1);
}

export class SegFormerGates {
  readonly heads: (HardConcrete | null)[][];
  readonly ffnGroups: (HardConcrete | null)[][];
  readonly ffnBlocks: (HardConcrete | null)[][];
  readonly decC: (HardConcrete | null)[];
  readonly decFuse: HardConcrete | null;

  constructor(
    readonly model: SegFormer,
    o: GateOptions = {},
  ) {
    const be: Backend = model.stages[0].embed.proj.weight.backend;
    const on = (flag: boolean | undefined) => flag ?? true;
    this.heads = model.stages.map((st, s) =>
      st.blocks.map((b, j) =>
        on(o.heads) && b.attn ? new HardConcrete(be, b.attn.heads, o, `gate.s${s + 1}.b${j}.heads`) : null,
      ),
    );
    this.ffnGroups = model.stages.map((st, s) =>
      st.blocks.map((b, j) =>
        on(o.ffnGroups) && b.ffn
          ? new HardConcrete(be, b.ffn.hidden / GROUP, o, `gate.s${s + 1}.b${j}.ffn_groups`)
          : null,
      ),
    );
    this.ffnBlocks = model.stages.map((st, s) =>
      st.blocks.map((b, j) =>
        on(o.ffnBlocks) && b.ffn ? new HardConcrete(be, 1, o, `gate.s${s + 1}.b${j}.ffn`) : null,
      ),
    );
    const dec = model.head;
    this.decC = dec.linearC.map((l, i) =>
      on(o.decoder) ? new HardConcrete(be, l.weight.shape[0] / GROUP, o, `gate.dec.c${i + 1}`) : null,
    );
    this.decFuse = on(o.decoder)
      ? new HardConcrete(be, dec.fuse.weight.shape[0] / GROUP, o, 'gate.dec.fuse')
      : null;
  }

  all(): HardConcrete[] {
    return [
      ...this.heads.flat(),
      ...this.ffnGroups.flat(),
      ...this.ffnBlocks.flat(),
      ...this.decC,
      this.decFuse,
    ].filter((g): g is HardConcrete => g !== null);
  }

  parameters(): Tensor[] {
    return this.all().map((g) => g.logAlpha);
  }

  /**
   * Set the model's gate tensors for one forward pass: sampled z (training), the deterministic ẑ, or
   * none. Call inside the step's tidy(): the tensors are that step's.
   */
  apply(mode: 'sample' | 'deterministic' | 'off', rng?: Rng): void {
    const z = (g: HardConcrete | null): Tensor | null => {
      if (!g || mode === 'off') return null;
      if (mode === 'sample') {
        if (!rng) throw new Error('SegFormerGates.apply: sampling needs an rng.');
        return g.sample(rng);
      }
      return g.deterministicTensor();
    };
    this.model.stages.forEach((st, s) => {
      st.blocks.forEach((b, j) => {
        if (b.attn) {
          const zh = z(this.heads[s][j]);
          b.attn.gate = zh;
          b.attn.outGate = zh ? anyOpen(zh) : null;
        }
        if (b.ffn) {
          const zg = z(this.ffnGroups[s][j]);
          const zb = z(this.ffnBlocks[s][j]);
          b.ffn.groupGate = zg;
          const groupsOpen = zg ? anyOpen(zg) : null;
          b.ffn.blockGate =
            zb && groupsOpen ? zb.reshape([]).mul(groupsOpen) : (zb?.reshape([]) ?? groupsOpen);
        }
      });
    });
    this.model.head.cGates = this.decC.map(z);
    this.model.head.groupGate = z(this.decFuse);
  }

  /**
   * Expected cost E_fixed + Σ_u P(open_u)·c_u as a differentiable scalar, for unit costs c (by unit id,
   * as in @edgeseg/models' cost accounting: energy, MACs or params). Units under one gate vector cost
   * the same, so each gate contributes c·Σp — the gradient on a gate is its unit's cost times dP/dlogα.
   */
  expectedCost(cost: (unitId: string) => number, fixed: number): Tensor {
    const be = this.model.stages[0].embed.proj.weight.backend;
    const terms: Tensor[] = [Tensor.full(be, [], fixed)];
    const add = (t: Tensor | number) => terms.push(typeof t === 'number' ? Tensor.full(be, [], t) : t);
    this.model.stages.forEach((st, s) => {
      st.blocks.forEach((b, j) => {
        const base = `s${s + 1}.b${j}`;
        if (b.attn) {
          const ch = cost(`${base}.head0`);
          const shared = cost(`${base}.attn`);
          const g = this.heads[s][j];
          if (g) {
            const p = g.pOpen();
            add(p.sum().mul(ch));
            add(anyOpen(p).mul(shared));
          } else add(ch * b.attn.heads + shared);
        }
        if (b.ffn) {
          const cg = cost(`${base}.ffn.g0`);
          const shared = cost(`${base}.ffn`);
          const groups = b.ffn.hidden / GROUP;
          const gg = this.ffnGroups[s][j];
          const gb = this.ffnBlocks[s][j];
          const inner = gg ? gg.pOpen().sum().mul(cg).add(anyOpen(gg.pOpen()).mul(shared)) : null;
          const innerConst = cg * groups + shared;
          if (gb) add(inner ? inner.mul(gb.pOpen().reshape([])) : gb.pOpen().reshape([]).mul(innerConst));
          else add(inner ?? innerConst);
        }
      });
    });
    this.decC.forEach((g, i) => {
      const n = this.model.head.linearC[i].weight.shape[0] / GROUP;
      const c = cost(`dec.c${i + 1}.g0`);
      add(g ? g.pOpen().sum().mul(c) : c * n);
    });
    const nf = this.model.head.fuse.weight.shape[0] / GROUP;
    const cf = cost('dec.fuse.g0');
    add(this.decFuse ? this.decFuse.pOpen().sum().mul(cf) : cf * nf);
    return terms.reduce((a, b) => a.add(b));
  }
}
