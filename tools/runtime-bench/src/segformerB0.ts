// segformerB0.ts — the SegFormer-B0 architecture (MiT-B0 encoder, 256-wide decoder, 19 classes,
// decoder BatchNorm folded as in every .edgeseg file). @edgeseg/models owns the configs; the bench
// keeps its own copy so it runs on a board with the runtime alone, and a test keeps the two equal.
import type { SegFormerArch } from '@edgeseg/runtime';

export function segformerB0Arch(classes = 19): SegFormerArch {
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
      classes,
      dropPath: 0.1,
      lnEps: 1e-6,
    },
    blocks: dims.map((d, s) =>
      Array.from({ length: 2 }, () => ({ heads: heads[s], headDim: d / heads[s], ffn: 4 * d })),
    ),
    decoder: { cDims: [256, 256, 256, 256], fuseDim: 256, bnFolded: true },
  };
}
