// configs.ts — the model family's hyper-parameters. MiT-B0…B5 exactly as NVlabs/SegFormer
// (mix_transformer.py and the local_configs): heads [1,2,5,8], sr ratios [8,4,2,1], MLP ratio 4,
// overlapping patch embeds k7/s4 then k3/s2, LayerNorm eps 1e-6, drop-path 0.1, decoder width 256
// (B0, B1) or 768 (B2–B5). Tiny and Lite-ViT configs are ours, for tests, CPU training and students.

export type { SegFormerConfig } from '@edgeseg/runtime';

import type { SegFormerConfig } from '@edgeseg/runtime';

const mit = (name: string, dims: number[], depths: number[], decoderDim: number): SegFormerConfig => ({
  name,
  dims,
  depths,
  heads: [1, 2, 5, 8],
  srRatios: [8, 4, 2, 1],
  mlpRatio: 4,
  patchSizes: [7, 3, 3, 3],
  strides: [4, 2, 2, 2],
  decoderDim,
  classes: 19,
  dropPath: 0.1,
  lnEps: 1e-6,
});

export const SEGFORMER_CONFIGS: Record<string, SegFormerConfig> = {
  'segformer-b0': mit('segformer-b0', [32, 64, 160, 256], [2, 2, 2, 2], 256),
  'segformer-b1': mit('segformer-b1', [64, 128, 320, 512], [2, 2, 2, 2], 256),
  'segformer-b2': mit('segformer-b2', [64, 128, 320, 512], [3, 4, 6, 3], 768),
  'segformer-b3': mit('segformer-b3', [64, 128, 320, 512], [3, 4, 18, 3], 768),
  'segformer-b4': mit('segformer-b4', [64, 128, 320, 512], [3, 8, 27, 3], 768),
  'segformer-b5': mit('segformer-b5', [64, 128, 320, 512], [3, 6, 40, 3], 768),
  // Test-sized: every mechanism of B0 (4 stages, sr attention, Mix-FFN, multi-head stages) at a sliver of its cost.
  'segformer-tiny': {
    ...mit('segformer-tiny', [16, 32, 48, 64], [1, 1, 1, 1], 64),
    heads: [1, 2, 3, 4],
    dropPath: 0,
  },
  // Lite-ViT students: narrower and shallower MiT encoders with the same decoder design.
  'lite-vit-s': { ...mit('lite-vit-s', [32, 64, 128, 192], [2, 2, 2, 2], 128), heads: [1, 2, 4, 6] },
  'lite-vit-xs': { ...mit('lite-vit-xs', [24, 48, 96, 160], [1, 2, 2, 1], 96), heads: [1, 2, 3, 5] },
};

export function segformerConfig(arch: string, classes = 19): SegFormerConfig {
  const c = SEGFORMER_CONFIGS[arch];
  if (!c) {
    throw new Error(
      `model: unknown architecture "${arch}". Expected one of ${[...Object.keys(SEGFORMER_CONFIGS), ...Object.keys(MOBILENET_CONFIGS)].join(', ')}.`,
    );
  }
  return { ...c, classes };
}

/** One inverted-residual block of MobileNetV3: kernel, expansion width, output width, SE, activation, stride. */
export interface MbBlock {
  k: number;
  exp: number;
  out: number;
  se: boolean;
  act: 'relu' | 'hardswish';
  stride: number;
}

export interface MobileNetConfig {
  name: string;
  blocks: MbBlock[];
  lastConv: number;
  /** Block whose output is LR-ASPP's 1/8-resolution "low" feature (torchvision: the stride-8 block itself). */
  lowIndex: number;
  /** Dilation of the last stage (torchvision's dilated backbone for segmentation: output stride 16). */
  lastStageStart: number;
  classes: number;
  asppDim: number;
}

const b = (k: number, exp: number, out: number, se: boolean, hs: boolean, stride: number): MbBlock => ({
  k,
  exp,
  out,
  se,
  act: hs ? 'hardswish' : 'relu',
  stride,
});

// Howard et al., "Searching for MobileNetV3" (ICCV 2019), Tables 1 and 2; LR-ASPP as torchvision.
export const MOBILENET_CONFIGS: Record<string, MobileNetConfig> = {
  'mobilenetv3-lraspp-large': {
    name: 'mobilenetv3-lraspp-large',
    blocks: [
      b(3, 16, 16, false, false, 1),
      b(3, 64, 24, false, false, 2),
      b(3, 72, 24, false, false, 1),
      b(5, 72, 40, true, false, 2),
      b(5, 120, 40, true, false, 1),
      b(5, 120, 40, true, false, 1),
      b(3, 240, 80, false, true, 2),
      b(3, 200, 80, false, true, 1),
      b(3, 184, 80, false, true, 1),
      b(3, 184, 80, false, true, 1),
      b(3, 480, 112, true, true, 1),
      b(3, 672, 112, true, true, 1),
      b(5, 672, 160, true, true, 2),
      b(5, 960, 160, true, true, 1),
      b(5, 960, 160, true, true, 1),
    ],
    lastConv: 960,
    lowIndex: 3,
    lastStageStart: 12,
    classes: 19,
    asppDim: 128,
  },
  'mobilenetv3-lraspp-small': {
    name: 'mobilenetv3-lraspp-small',
    blocks: [
      b(3, 16, 16, true, false, 2),
      b(3, 72, 24, false, false, 2),
      b(3, 88, 24, false, false, 1),
      b(5, 96, 40, true, true, 2),
      b(5, 240, 40, true, true, 1),
      b(5, 240, 40, true, true, 1),
      b(5, 120, 48, true, true, 1),
      b(5, 144, 48, true, true, 1),
      b(5, 288, 96, true, true, 2),
      b(5, 576, 96, true, true, 1),
      b(5, 576, 96, true, true, 1),
    ],
    lastConv: 576,
    lowIndex: 1,
    lastStageStart: 8,
    classes: 19,
    asppDim: 128,
  },
};

export function isMobileNet(arch: string): boolean {
  return arch in MOBILENET_CONFIGS;
}
