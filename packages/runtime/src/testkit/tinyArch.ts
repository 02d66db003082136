// tinyArch.ts — a small excised-looking SegFormer architecture for the runtime's tests (the runtime
// has no configs of its own; @edgeseg/models has them).
import type { SegFormerArch } from '../arch.js';

export function tinyArch(o: { classes?: number } = {}): SegFormerArch {
  return {
    kind: 'segformer',
    config: {
      name: 'segformer-tiny',
      dims: [16, 32, 48, 64],
      depths: [1, 1, 1, 1],
      heads: [1, 2, 3, 4],
      srRatios: [8, 4, 2, 1],
      mlpRatio: 4,
      patchSizes: [7, 3, 3, 3],
      strides: [4, 2, 2, 2],
      decoderDim: 64,
      classes: o.classes ?? 19,
      dropPath: 0,
      lnEps: 1e-6,
    },
    // Excised: stage 1 lost its only head; stage 2 one of two heads and half its FFN; stage 3 its FFN.
    blocks: [
      [{ heads: 0, headDim: 16, ffn: 64 }],
      [{ heads: 1, headDim: 16, ffn: 64 }],
      [{ heads: 3, headDim: 16, ffn: 0 }],
      [{ heads: 4, headDim: 16, ffn: 256 }],
    ],
    decoder: { cDims: [48, 64, 32, 64], fuseDim: 48, bnFolded: true },
  };
}
