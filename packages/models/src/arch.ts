// arch.ts — architectures from configs. The architecture type itself (what excision changes, what
// `.edgeseg` files carry) belongs to @edgeseg/runtime, which builds its graph from it alone.
import type { SegFormerArch } from '@edgeseg/runtime';
import { type SegFormerConfig, segformerConfig } from './configs.js';

export type { BlockArch, SegFormerArch } from '@edgeseg/runtime';
export { checkArch } from '@edgeseg/runtime';

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
