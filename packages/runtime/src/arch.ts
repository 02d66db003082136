// arch.ts — the architecture a `.edgeseg` file describes: a SegFormer-style network as configured,
// minus what excision removed (per block: heads kept, FFN width; decoder widths). The runtime builds
// its graph from this alone, so it lives here; @edgeseg/models builds trainable modules from it.

export interface SegFormerConfig {
  name: string;
  dims: number[];
  depths: number[];
  heads: number[];
  srRatios: number[];
  mlpRatio: number;
  patchSizes: number[];
  strides: number[];
  decoderDim: number;
  classes: number;
  dropPath: number;
  lnEps: number;
}

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

/** Validate an architecture read from an untrusted file; `where` prefixes the error. */
export function checkArch(a: unknown, where: string): SegFormerArch {
  const fail = (what: string): never => {
    throw new Error(`${where}: architecture ${what}.`);
  };
  const x = a as SegFormerArch;
  if (x?.kind !== 'segformer' || !x.config || !Array.isArray(x.blocks))
    fail('is not a SegFormer architecture');
  const c = x.config;
  const int = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
  const arr = (v: unknown, n: number) => Array.isArray(v) && v.length === n;
  if (
    !arr(c.dims, 4) ||
    !arr(c.srRatios, 4) ||
    !arr(c.patchSizes, 4) ||
    !arr(c.strides, 4) ||
    !arr(x.blocks, 4)
  ) {
    fail('must have 4 stages (dims, srRatios, patchSizes, strides, blocks)');
  }
  if (!(typeof c.lnEps === 'number' && c.lnEps > 0 && c.lnEps < 1)) fail(`has lnEps ${c.lnEps}`);
  for (let s = 0; s < 4; s++) {
    if (!int(c.dims[s], 8192) || c.dims[s] < 1 || !int(c.srRatios[s], 64) || c.srRatios[s] < 1)
      fail(`stage ${s} has out-of-range dims/srRatios`);
    if (!int(c.patchSizes[s], 15) || c.patchSizes[s] < 1 || !int(c.strides[s], 8) || c.strides[s] < 1)
      fail(`stage ${s} has out-of-range patch size/stride`);
    if (!Array.isArray(x.blocks[s]) || x.blocks[s].length > 256) fail(`stage ${s} has a bad block list`);
    for (const b of x.blocks[s]) {
      if (
        !b ||
        !int(b.heads, 64) ||
        !int(b.headDim, 1024) ||
        !int(b.ffn, 65536) ||
        (b.heads > 0 && b.headDim < 1)
      ) {
        fail(`stage ${s} has a block with heads ${b?.heads}, headDim ${b?.headDim}, ffn ${b?.ffn}`);
      }
    }
  }
  if (!int(c.classes, 1000) || c.classes < 1) fail(`has ${c.classes} classes`);
  const d = x.decoder;
  if (
    !d ||
    !arr(d.cDims, 4) ||
    !d.cDims.every((v) => int(v, 8192) && v > 0) ||
    !int(d.fuseDim, 8192) ||
    d.fuseDim < 1
  ) {
    fail('has a bad decoder description');
  }
  return x;
}
