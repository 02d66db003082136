// arch.ts — the (possibly pruned) architecture of a SegFormer-style model: what a config says plus
// what excision removed. It is what `.edgeseg` files carry in their metadata, so a runtime can
// rebuild the graph of an excised model without the training code.
import { type SegFormerConfig, segformerConfig } from './configs.js';

export interface BlockArch {
  /** Attention heads kept (0 = the attention sub-layer is gone; the residual passes through). */
  heads: number;
  headDim: number;
  /** Hidden width of the Mix-FFN (0 = the FFN sub-layer is gone). */
  ffn: number;
}

export interface SegFormerArch {
  kind: 'segformer';
  config: SegFormerConfig;
  /** blocks[stage][block] */
  blocks: BlockArch[][];
  decoder: {
    /** Output width of each stage's linear_c (the fused input is their sum). */
    cDims: number[];
    /** Width of the fused decoder feature (linear_fuse output, BN, classifier input). */
    fuseDim: number;
    /** The BatchNorm after linear_fuse was folded into it (fuse then has a bias and no BN follows). */
    bnFolded?: boolean;
  };
}

export function denseArch(config: SegFormerConfig): SegFormerArch {
  return {
    kind: 'segformer',
    config,
    blocks: config.dims.map((d, s) =>
      Array.from({ length: config.depths[s] }, () => ({
        heads: config.heads[s],
        headDim: d / config.heads[s],
        ffn: d * config.mlpRatio,
      })),
    ),
    decoder: { cDims: config.dims.map(() => config.decoderDim), fuseDim: config.decoderDim },
  };
}

export function archFor(name: string, classes = 19): SegFormerArch {
  return denseArch(segformerConfig(name, classes));
}

/** Validate an architecture read from an untrusted file. */
export function checkArch(a: unknown, where: string): SegFormerArch {
  const fail = (what: string): never => {
    throw new Error(`${where}: architecture ${what}.`);
  };
  const x = a as SegFormerArch;
  if (x?.kind !== 'segformer' || !x.config || !Array.isArray(x.blocks))
    fail('is not a SegFormer architecture');
  const c = x.config;
  const nStages = c.dims?.length;
  if (nStages !== 4 || x.blocks.length !== 4) fail(`has ${x.blocks.length} stages. Expected 4`);
  const posInt = (v: unknown, max: number) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
  for (let s = 0; s < 4; s++) {
    if (
      !posInt(c.dims[s], 8192) ||
      !posInt(c.srRatios[s], 64) ||
      !posInt(c.patchSizes[s], 15) ||
      !posInt(c.strides[s], 8)
    ) {
      fail(`stage ${s} has out-of-range dims/sr/patch/stride`);
    }
    for (const b of x.blocks[s]) {
      if (
        !posInt(b.heads, 64) ||
        !posInt(b.headDim, 1024) ||
        !posInt(b.ffn, 65536) ||
        (b.heads > 0 && b.headDim < 1)
      ) {
        fail(`stage ${s} has a block with heads ${b.heads}, headDim ${b.headDim}, ffn ${b.ffn}`);
      }
    }
  }
  if (!posInt(c.classes, 1000) || c.classes < 1) fail(`has ${c.classes} classes`);
  if (
    !Array.isArray(x.decoder?.cDims) ||
    x.decoder.cDims.length !== 4 ||
    !x.decoder.cDims.every((d) => posInt(d, 8192)) ||
    !posInt(x.decoder.fuseDim, 8192)
  ) {
    fail('has a bad decoder description');
  }
  return x;
}
