// segformerB0.ts — SegFormer-B0's architecture (MiT-B0 encoder, all-MLP decoder of width 256) as the
// runtime sees it, for tests and benchmarks of B0-shaped models (@edgeseg/models owns the configs).
import type { SegFormerArch } from '../arch.js';

export function segformerB0Arch(o: { classes?: number } = {}): SegFormerArch {
  const dims = [32, 64, 160, 256];
  const heads = [1, 2, 5, 8];
  return {
    kind: 'segformer',
    config: {
      name: 'segformer-b0',
      dims,
      depths: [2, 2, 2, 2],
      heads,
      srRatios: [8, 4, 2, 1],
      mlpRatio: 4,
      patchSizes: [7, 3, 3, 3],
      strides: [4, 2, 2, 2],
      decoderDim: 256,
      classes: o.classes ?? 19,
      dropPath: 0,
      lnEps: 1e-6,
    },
    blocks: dims.map((d, s) => [0, 1].map(() => ({ heads: heads[s], headDim: d / heads[s], ffn: 4 * d }))),
    decoder: { cDims: [256, 256, 256, 256], fuseDim: 256, bnFolded: true },
  };
}
