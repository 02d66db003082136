// excise.ts — cut closed units out of a SegFormer for real: fewer heads (q/k/v rows and proj
// columns), narrower Mix-FFNs (fc1 rows, depthwise channels, fc2 columns), narrower decoder
// projections and fused features, whole sub-layers when every head or the FFN gate is closed. Gate
// values of the units that stay (ẑ ∈ (0, 1]) are folded into the weights that follow them, so the
// excised model computes what the gated model computed. Optimizer moments are sliced the same way,
// so training continues on the smaller model without a restart.
import { type Backend, type Optimizer, Rng, Tensor } from '@edgeseg/autograd';
import { type BlockArch, GROUP, SegFormer, type SegFormerArch } from '@edgeseg/models';
import { SegFormerGates } from '../gates/segformerGates.js';

/** Which units stay, and the gate value each carries into the excised weights. */
export interface ExcisionPlan {
  /** Per stage, per block: kept head indices with their ẑ. */
  heads: { keep: number[]; z: number[]; out: number }[][];
  /** Per stage, per block: kept FFN group indices with their ẑ, and the FFN-output gate. */
  ffn: { keep: number[]; z: number[]; out: number }[][];
  /** Per stage projection: kept channel groups and ẑ. */
  decC: { keep: number[]; z: number[] }[];
  decFuse: { keep: number[]; z: number[] };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Gate values → plan (units with ẑ = 0 are cut; at least one decoder group of each kind stays). */
export function planFromGates(
  gates: SegFormerGates,
  z: (g: NonNullable<SegFormerGates['decFuse']>) => Float32Array = (g) => g.deterministic(),
): ExcisionPlan {
  const m = gates.model;
  const pick = (vals: Float32Array | null, n: number, atLeastOne = false) => {
    const v = vals ?? new Float32Array(n).fill(1);
    let keep = range(n).filter((i) => v[i] > 0);
    if (atLeastOne && keep.length === 0) keep = [v.indexOf(Math.max(...v))];
    return { keep, z: keep.map((i) => v[i]), all: v };
  };
  const anyOpen = (v: number[]) => 1 - v.reduce((p, x) => p * (1 - x), 1);
  const heads = m.stages.map((st, s) =>
    st.blocks.map((b, j) => {
      if (!b.attn) return { keep: [], z: [], out: 0 };
      const g = gates.heads[s][j];
      const p = pick(g ? z(g) : null, b.attn.heads);
      return { keep: p.keep, z: p.z, out: anyOpen(Array.from(p.all)) };
    }),
  );
  const ffn = m.stages.map((st, s) =>
    st.blocks.map((b, j) => {
      if (!b.ffn) return { keep: [], z: [], out: 0 };
      const gg = gates.ffnGroups[s][j];
      const gb = gates.ffnBlocks[s][j];
      const p = pick(gg ? z(gg) : null, b.ffn.hidden / GROUP);
      const block = gb ? z(gb)[0] : 1;
      const out = block * anyOpen(Array.from(p.all));
      return out > 0 ? { keep: p.keep, z: p.z, out } : { keep: [], z: [], out: 0 };
    }),
  );
  const decC = m.head.linearC.map((l, i) => {
    const g = gates.decC[i];
    const p = pick(g ? z(g) : null, l.weight.shape[0] / GROUP, true);
    return { keep: p.keep, z: p.z };
  });
  const f = pick(gates.decFuse ? z(gates.decFuse) : null, m.head.fuse.weight.shape[0] / GROUP, true);
  return { heads, ffn, decC, decFuse: { keep: f.keep, z: f.z } };
}

/** The architecture that remains after a plan. */
export function excisedArch(arch: SegFormerArch, plan: ExcisionPlan): SegFormerArch {
  return {
    ...arch,
    blocks: arch.blocks.map((blocks, s) =>
      blocks.map(
        (b, j): BlockArch => ({
          heads: plan.heads[s][j].keep.length,
          headDim: b.headDim,
          ffn: plan.ffn[s][j].keep.length * GROUP,
        }),
      ),
    ),
    decoder: {
      cDims: plan.decC.map((d) => d.keep.length * GROUP),
      fuseDim: plan.decFuse.keep.length * GROUP,
    },
  };
}

/** One axis of a tensor to keep blocks of, each block scaled. */
interface AxisKeep {
  axis: number;
  /** Kept block indices and block size (elements along the axis per unit). */
  keep: number[];
  block: number;
  scale?: number[];
}

interface SliceSpec {
  axes: AxisKeep[];
  /** Whole-tensor scale (gate of a sub-layer output). */
  scale?: number;
}

function sliceData(
  data: Float32Array,
  shape: readonly number[],
  spec: SliceSpec,
  withScale: boolean,
): { data: Float32Array; shape: number[] } {
  const outShape = [...shape];
  const maps = shape.map((n) => ({ src: range(n), mul: new Array<number>(n).fill(1) }));
  for (const a of spec.axes) {
    const src: number[] = [];
    const mul: number[] = [];
    a.keep.forEach((u, i) => {
      for (let e = 0; e < a.block; e++) {
        src.push(u * a.block + e);
        mul.push(withScale && a.scale ? a.scale[i] : 1);
      }
    });
    maps[a.axis] = { src, mul };
    outShape[a.axis] = src.length;
  }
  const inStr = shape.map((_, d) => shape.slice(d + 1).reduce((p, s) => p * s, 1));
  const n = outShape.reduce((p, s) => p * s, 1);
  const out = new Float32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  const whole = withScale ? (spec.scale ?? 1) : 1;
  for (let o = 0; o < n; o++) {
    let src = 0;
    let mul = whole;
    for (let d = 0; d < shape.length; d++) {
      src += maps[d].src[idx[d]] * inStr[d];
      mul *= maps[d].mul[idx[d]];
    }
    out[o] = data[src] * mul;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** How each of the old model's tensors maps into the excised model (null = dropped). */
function specFor(name: string, m: SegFormer, plan: ExcisionPlan): SliceSpec | null {
  const blk = name.match(/^stages\.(\d)\.blocks\.(\d+)\.(.*)$/);
  if (blk) {
    const s = Number(blk[1]);
    const j = Number(blk[2]);
    const rest = blk[3];
    const h = plan.heads[s][j];
    const f = plan.ffn[s][j];
    const b = m.stages[s].blocks[j];
    if (rest.startsWith('norm1.') || rest.startsWith('attn.')) {
      if (h.keep.length === 0) return null;
      const dh = b.attn!.headDim;
      if (/^attn\.[qkv]\.(weight|bias)$/.test(rest)) return { axes: [{ axis: 0, keep: h.keep, block: dh }] };
      if (rest === 'attn.proj.weight')
        return { axes: [{ axis: 1, keep: h.keep, block: dh, scale: h.z }], scale: h.out };
      if (rest === 'attn.proj.bias') return { axes: [], scale: h.out };
      return { axes: [] };
    }
    if (rest.startsWith('norm2.') || rest.startsWith('ffn.')) {
      if (f.keep.length === 0) return null;
      if (/^ffn\.fc1\.(weight|bias)$/.test(rest)) return { axes: [{ axis: 0, keep: f.keep, block: GROUP }] };
      if (rest === 'ffn.dw.weight') return { axes: [{ axis: 2, keep: f.keep, block: GROUP }] };
      if (rest === 'ffn.dw.bias') return { axes: [{ axis: 0, keep: f.keep, block: GROUP }] };
      if (rest === 'ffn.fc2.weight')
        return { axes: [{ axis: 1, keep: f.keep, block: GROUP, scale: f.z }], scale: f.out };
      if (rest === 'ffn.fc2.bias') return { axes: [], scale: f.out };
      return { axes: [] };
    }
    return { axes: [] };
  }
  const lc = name.match(/^head\.linearC\.(\d)\.(weight|bias)$/);
  if (lc) {
    const d = plan.decC[Number(lc[1])];
    return { axes: [{ axis: 0, keep: d.keep, block: GROUP, scale: d.z }] };
  }
  if (name === 'head.fuse.bias') return { axes: [{ axis: 0, keep: plan.decFuse.keep, block: GROUP }] };
  if (name === 'head.fuse.weight') {
    // Fuse input = concat of the stage projections, stage 4 first: kept groups, as column blocks.
    const cols: number[] = [];
    let off = 0;
    for (let i = plan.decC.length - 1; i >= 0; i--) {
      for (const g of plan.decC[i].keep) cols.push(off / GROUP + g);
      off += m.head.linearC[i].weight.shape[0];
    }
    return {
      axes: [
        { axis: 0, keep: plan.decFuse.keep, block: GROUP },
        { axis: 1, keep: cols, block: GROUP },
      ],
    };
  }
  if (/^head\.bn\./.test(name)) return { axes: [{ axis: 0, keep: plan.decFuse.keep, block: GROUP }] };
  if (name === 'head.cls.weight')
    return { axes: [{ axis: 1, keep: plan.decFuse.keep, block: GROUP, scale: plan.decFuse.z }] };
  return { axes: [] };
}

export interface Excised {
  model: SegFormer;
  arch: SegFormerArch;
  plan: ExcisionPlan;
  /** old tensor → new tensor, for every tensor that survived. */
  mapping: Map<Tensor, { next: Tensor; spec: SliceSpec }>;
}

/** Build the excised model (the old one is left intact; dispose it when done). */
export function excise(model: SegFormer, plan: ExcisionPlan, rng = new Rng(0)): Excised {
  const arch = excisedArch(model.arch, plan);
  const be: Backend = model.stages[0].embed.proj.weight.backend;
  const next = new SegFormer(be, arch, rng);
  next.train(model.training);
  const newTensors = new Map(next.namedTensors());
  const mapping = new Map<Tensor, { next: Tensor; spec: SliceSpec }>();
  for (const [name, t] of model.namedTensors()) {
    const spec = specFor(name, model, plan);
    if (!spec) continue;
    const dst = newTensors.get(name);
    if (!dst) throw new Error(`excise: "${name}" has no place in the excised model.`);
    const src = Float32Array.from(be.view(t.storage).subarray(0, t.size));
    const r = sliceData(src, t.shape, spec, true);
    if (r.shape.join(',') !== dst.shape.join(',')) {
      throw new Error(
        `excise: "${name}" sliced to [${r.shape}] but the excised model expects [${dst.shape}].`,
      );
    }
    be.view(dst.storage).set(r.data);
    mapping.set(t, { next: dst, spec });
  }
  return { model: next, arch, plan, mapping };
}

function sliceState(state: Tensor, spec: SliceSpec): Tensor {
  const be = state.backend;
  const r = sliceData(
    Float32Array.from(be.view(state.storage).subarray(0, state.size)),
    state.shape,
    spec,
    false,
  );
  const t = Tensor.param(be, r.shape, r.data);
  t.requiresGrad = false;
  return t;
}

/**
 * Move optimizer state (moments) of the old parameters onto the excised ones, sliced alike; the
 * parameters of removed units leave the optimizer.
 */
export function moveOptimizerState(opt: Optimizer, old: SegFormer, ex: Excised): void {
  for (const p of old.parameters()) {
    const m = ex.mapping.get(p);
    if (m) opt.replaceParam(p, m.next, (state) => sliceState(state, m.spec));
    else opt.removeParam(p);
  }
}

/**
 * Gates of the excised model carrying the surviving units' log α (closed ones are gone), with their
 * optimizer state moved when an optimizer holds them.
 */
export function exciseGates(old: SegFormerGates, ex: Excised, opt?: Optimizer): SegFormerGates {
  const g = new SegFormerGates(ex.model);
  const move = (src: { logAlpha: Tensor } | null, dst: { logAlpha: Tensor } | null, keep: number[]) => {
    if (!src) return;
    if (!dst) {
      opt?.removeParam(src.logAlpha);
      return;
    }
    const spec: SliceSpec = { axes: [{ axis: 0, keep, block: 1 }] };
    const be = src.logAlpha.backend;
    const r = sliceData(Float32Array.from(be.view(src.logAlpha.storage)), src.logAlpha.shape, spec, false);
    be.view(dst.logAlpha.storage).set(r.data);
    opt?.replaceParam(src.logAlpha, dst.logAlpha, (state) => sliceState(state, spec));
  };
  old.model.stages.forEach((st, s) => {
    st.blocks.forEach((_b, j) => {
      const nb = ex.model.stages[s].blocks[j];
      move(old.heads[s][j], nb.attn ? g.heads[s][j] : null, ex.plan.heads[s][j].keep);
      move(old.ffnGroups[s][j], nb.ffn ? g.ffnGroups[s][j] : null, ex.plan.ffn[s][j].keep);
      move(old.ffnBlocks[s][j], nb.ffn ? g.ffnBlocks[s][j] : null, [0]);
    });
  });
  ex.plan.decC.forEach((d, i) => {
    move(old.decC[i], g.decC[i], d.keep);
  });
  move(old.decFuse, g.decFuse, ex.plan.decFuse.keep);
  return g;
}
