// modelCost.ts — params, MACs and memory traffic of a model at an input size, for the whole model,
// per layer (site) and per prunable unit, measured by running the model's own forward on the
// counting backend.
//
// Prunable units partition the model: total = fixed + Σ units. Within a block, the attention
// sub-layer is `heads` head units (each 1/H of q, k, v, the score/softmax/AV core and the proj input
// slice) plus one attn-shared unit (norm1, the spatial-reduction conv + norm, proj bias, the residual
// add) that disappears only when every head does; the Mix-FFN is hidden/16 group units plus one
// ffn-shared unit (norm2, fc2 bias, residual). The decoder's fuse layer multiplies an input width
// (the stage projections) by an output width, which no linear partition can split exactly: half of
// its cost goes to the projection groups, half to the fuse groups (exact when all are open).
import { type Module, Rng, Tensor } from '@edgeseg/autograd';
import type { SegFormerArch } from '../arch.js';
import { GROUP, SegFormer } from '../segformer.js';
import { CountingBackend, type OpRecord } from './countingBackend.js';

export interface Cost {
  macs: number;
  flops: number;
  params: number;
  /** Elements: weight reads, activation reads + writes, attention-score elements. */
  weightElems: number;
  actElems: number;
  attnElems: number;
  /** The part of actElems / attnElems in tensors larger than the cache (costed at DRAM energy). */
  actDramElems: number;
  attnDramElems: number;
}

export type UnitKind = 'head' | 'attn-shared' | 'ffn-group' | 'ffn-shared' | 'dec-c-group' | 'dec-fuse-group';

export interface UnitCost extends Cost {
  id: string;
  kind: UnitKind;
  stage: number;
  block: number;
  index: number;
}

export interface ModelCost {
  height: number;
  width: number;
  batch: number;
  total: Cost;
  /** Cost per site ("s1.b0.attn.q", "dec.fuse", …). */
  sites: Map<string, Cost>;
  /** Cost per encoder stage (patch embed, blocks, norm) and the decoder. */
  stages: { name: string; cost: Cost }[];
  units: UnitCost[];
  /** Everything no unit owns: patch embeds, stage norms, decoder parts no gate removes. */
  fixed: Cost;
}

export const zeroCost = (): Cost => ({
  macs: 0,
  flops: 0,
  params: 0,
  weightElems: 0,
  actElems: 0,
  attnElems: 0,
  actDramElems: 0,
  attnDramElems: 0,
});

export function addCost(a: Cost, b: Cost, scale = 1): Cost {
  return {
    macs: a.macs + b.macs * scale,
    flops: a.flops + b.flops * scale,
    params: a.params + b.params * scale,
    weightElems: a.weightElems + b.weightElems * scale,
    actElems: a.actElems + b.actElems * scale,
    attnElems: a.attnElems + b.attnElems * scale,
    actDramElems: a.actDramElems + b.actDramElems * scale,
    attnDramElems: a.attnDramElems + b.attnDramElems * scale,
  };
}

/** Parameter path ("stages.0.blocks.1.attn.q.weight") → the site its forward runs under. */
export function paramSite(name: string): string {
  const parts = name.split('.');
  parts.pop(); // weight / bias / runningMean …
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === 'stages') out.push(`s${Number(parts[++i]) + 1}`);
    else if (p === 'blocks') out.push(`b${parts[++i]}`);
    else if (p === 'head') out.push('dec');
    else if (p === 'linearC') out.push(`linear_c${Number(parts[++i]) + 1}`);
    else if (p === 'srNorm') out.push('sr_norm');
    else if (p === 'dw') out.push('dwconv');
    else if (p === 'proj' && parts[i - 1] === 'embed') out.push('proj');
    else out.push(p);
  }
  return out.join('.');
}

/** Options of the cost accounting. */
export interface CostOptions {
  /** Tensors of more elements than this live in DRAM, smaller ones on chip (default: none is larger). */
  cacheElems?: number;
}

function siteCosts(records: OpRecord[], params: [string, Tensor][], o: CostOptions = {}): Map<string, Cost> {
  const cache = o.cacheElems ?? Number.POSITIVE_INFINITY;
  const sites = new Map<string, Cost>();
  const at = (s: string) => {
    let c = sites.get(s);
    if (!c) {
      c = zeroCost();
      sites.set(s, c);
    }
    return c;
  };
  for (const r of records) {
    const c = at(r.site);
    c.macs += r.macs;
    c.flops += r.flops;
    c.weightElems += r.weightReads;
    c.actElems += r.actReads + r.actWrites;
    c.attnElems += r.attnElems;
    for (const n of r.actSizes) if (n > cache) c.actDramElems += n;
    // Score matrices are the op's largest activation; in DRAM when they do not fit.
    if (r.attnElems > 0 && Math.max(...r.actSizes) > cache) c.attnDramElems += r.attnElems;
  }
  for (const [name, t] of params) {
    if (!t.requiresGrad) continue; // running statistics are not parameters
    at(paramSite(name)).params += t.size;
  }
  return sites;
}

function sumPrefix(sites: Map<string, Cost>, prefix: string): Cost {
  let c = zeroCost();
  for (const [s, v] of sites) if (s === prefix || s.startsWith(`${prefix}.`)) c = addCost(c, v);
  return c;
}

function sub(a: Cost, b: Cost): Cost {
  return addCost(a, b, -1);
}

/** Run `model` on the counting backend for one [batch, H, W, 3] input. */
export function countForward(
  model: Module & { forward(x: Tensor): Tensor },
  be: CountingBackend,
  makeInput: () => Tensor,
  o: CostOptions = {},
): Map<string, Cost> {
  const named = model.namedTensors();
  be.markParams(named.map(([, t]) => t.storage));
  model.eval();
  be.records = [];
  const x = makeInput();
  model.forward(x);
  return siteCosts(be.records, named, o);
}

export function segformerCost(
  arch: SegFormerArch,
  height: number,
  width: number,
  batch = 1,
  o: CostOptions = {},
): ModelCost {
  const be = new CountingBackend();
  const model = new SegFormer(be, arch, new Rng(0));
  const sites = countForward(model, be, () => Tensor.zeros(be, [batch, height, width, 3]), o);
  let total = zeroCost();
  for (const v of sites.values()) total = addCost(total, v);

  const cache = o.cacheElems ?? Number.POSITIVE_INFINITY;
  // A layer's cost without its output tensor (out elements) and some of its parameters: the part
  // that scales with the width being pruned.
  const scalablePart = (c: Cost, out: number, keptParams: number): Cost => ({
    ...c,
    params: c.params - keptParams,
    actElems: c.actElems - out,
    actDramElems: c.actDramElems - (out > cache ? out : 0),
  });
  const units: UnitCost[] = [];
  const unit = (id: string, kind: UnitKind, stage: number, block: number, index: number, c: Cost) =>
    units.push({ id, kind, stage, block, index, ...c });

  arch.blocks.forEach((blocks, s) => {
    blocks.forEach((b, j) => {
      const base = `s${s + 1}.b${j}`;
      if (b.heads > 0) {
        const attn = addCost(sumPrefix(sites, `${base}.attn`), sumPrefix(sites, `${base}.norm1`));
        let perHead = zeroCost();
        for (const name of ['q', 'k', 'v', 'core'])
          perHead = addCost(perHead, sumPrefix(sites, `${base}.attn.${name}`), 1 / b.heads);
        // proj: its input slice per head (weight columns, MACs) — not its bias or output.
        const proj = sumPrefix(sites, `${base}.attn.proj`);
        const dim = arch.config.dims[s];
        perHead = addCost(perHead, scalablePart(proj, proj.macs / (b.heads * b.headDim), dim), 1 / b.heads);
        for (let h = 0; h < b.heads; h++) unit(`${base}.head${h}`, 'head', s, j, h, perHead);
        unit(`${base}.attn`, 'attn-shared', s, j, 0, sub(attn, addCost(zeroCost(), perHead, b.heads)));
      }
      if (b.ffn > 0) {
        const ffn = addCost(sumPrefix(sites, `${base}.ffn`), sumPrefix(sites, `${base}.norm2`));
        const groups = b.ffn / GROUP;
        const fc2 = sumPrefix(sites, `${base}.ffn.fc2`);
        let scalable = zeroCost();
        for (const name of ['fc1', 'dwconv', 'gelu'])
          scalable = addCost(scalable, sumPrefix(sites, `${base}.ffn.${name}`));
        const dim = arch.config.dims[s];
        scalable = addCost(scalable, scalablePart(fc2, fc2.macs / b.ffn, dim));
        const perGroup = addCost(zeroCost(), scalable, 1 / groups);
        for (let g = 0; g < groups; g++) unit(`${base}.ffn.g${g}`, 'ffn-group', s, j, g, perGroup);
        unit(`${base}.ffn`, 'ffn-shared', s, j, 0, sub(ffn, scalable));
      }
    });
  });
  // Decoder: stage projections (+ their resize) by output group; fuse split half/half; bn + cls by fuse group.
  const { cDims, fuseDim } = arch.decoder;
  const fuse = sumPrefix(sites, 'dec.fuse');
  const cin = cDims.reduce((a, b) => a + b, 0);
  cDims.forEach((cd, i) => {
    const lc = sumPrefix(sites, `dec.linear_c${i + 1}`);
    const per = addCost(addCost(zeroCost(), lc, GROUP / cd), fuse, (0.5 * GROUP) / cin);
    for (let g = 0; g < cd / GROUP; g++) unit(`dec.c${i + 1}.g${g}`, 'dec-c-group', 4, i, g, per);
  });
  const fuseSide = addCost(addCost(sumPrefix(sites, 'dec.bn'), sumPrefix(sites, 'dec.relu')), fuse, 0.5);
  const cls = sumPrefix(sites, 'dec.cls');
  const clsScalable = scalablePart(cls, cls.macs / fuseDim, arch.config.classes);
  const perFuse = addCost(addCost(zeroCost(), fuseSide, GROUP / fuseDim), clsScalable, GROUP / fuseDim);
  for (let g = 0; g < fuseDim / GROUP; g++) unit(`dec.fuse.g${g}`, 'dec-fuse-group', 4, 0, g, perFuse);

  let owned = zeroCost();
  for (const u of units) owned = addCost(owned, u);
  const stages = arch.blocks.map((_, s) => ({ name: `stage${s + 1}`, cost: sumPrefix(sites, `s${s + 1}`) }));
  stages.push({ name: 'decoder', cost: sumPrefix(sites, 'dec') });
  model.dispose();
  return { height, width, batch, total, sites, stages, units, fixed: sub(total, owned) };
}
