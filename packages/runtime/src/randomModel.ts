// randomModel.ts — a valid .edgeseg model of any architecture with random weights: for latency
// benchmarks of architectures nobody trained (a SegFormer-B5 row in the report, say so when used)
// and for tests.
import type { StTensor } from '@edgeseg/safetensors';
import type { SegFormerArch } from './arch.js';
import { archLayers, type EdgesegModelFile, type Precision } from './format.js';

const CITYSCAPES_PALETTE: [number, number, number][] = [
  [128, 64, 128],
  [244, 35, 232],
  [70, 70, 70],
  [102, 102, 156],
  [190, 153, 153],
  [153, 153, 153],
  [250, 170, 30],
  [220, 220, 0],
  [107, 142, 35],
  [152, 251, 152],
  [70, 130, 180],
  [220, 20, 60],
  [255, 0, 0],
  [0, 0, 142],
  [0, 0, 70],
  [0, 60, 100],
  [0, 80, 100],
  [0, 0, 230],
  [119, 11, 32],
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomModelFile(
  arch: SegFormerArch,
  precision: Precision,
  o: { height?: number; width?: number; seed?: number } = {},
): EdgesegModelFile {
  const r = rng(o.seed ?? 1);
  const tensors = new Map<string, StTensor>();
  const quant: Record<string, { scale: number; zeroPoint: number }> = {};
  let params = 0;
  for (const l of archLayers(arch)) {
    const n = l.shape.reduce((a, b) => a * b, 1);
    const outC = l.kind === 'dwconv' ? l.shape[2] : l.shape[0];
    const fanIn = l.kind === 'norm' ? 1 : n / outC;
    params += n + outC;
    if (l.kind === 'norm') {
      tensors.set(`${l.name}.weight`, {
        dtype: 'F32',
        shape: l.shape,
        data: Float32Array.from({ length: n }, () => 0.8 + 0.4 * r()),
      });
      tensors.set(`${l.name}.bias`, {
        dtype: 'F32',
        shape: l.shape,
        data: Float32Array.from({ length: n }, () => 0.1 * (r() - 0.5)),
      });
      continue;
    }
    const std = Math.sqrt(1 / fanIn);
    if (precision === 'fp32') {
      tensors.set(`${l.name}.weight`, {
        dtype: 'F32',
        shape: l.shape,
        data: Float32Array.from({ length: n }, () => std * 1.7 * (r() - 0.5)),
      });
      tensors.set(`${l.name}.bias`, {
        dtype: 'F32',
        shape: [outC],
        data: Float32Array.from({ length: outC }, () => 0.02 * (r() - 0.5)),
      });
      continue;
    }
    tensors.set(`${l.name}.weight`, {
      dtype: 'I8',
      shape: l.shape,
      data: Int8Array.from({ length: n }, () => Math.round(254 * (r() - 0.5))),
    });
    tensors.set(`${l.name}.wscale`, {
      dtype: 'F32',
      shape: [outC],
      data: Float32Array.from({ length: outC }, () => (std * 0.85) / 127),
    });
    if (l.kind === 'dwconv') {
      tensors.set(`${l.name}.bias`, {
        dtype: 'F32',
        shape: [outC],
        data: Float32Array.from({ length: outC }, () => 0.02 * (r() - 0.5)),
      });
    } else {
      tensors.set(`${l.name}.bias`, {
        dtype: 'I32',
        shape: [outC],
        data: Int32Array.from({ length: outC }, () => Math.round(200 * (r() - 0.5))),
      });
      quant[l.name] = { scale: 0.05, zeroPoint: Math.round(20 * (r() - 0.5)) };
    }
  }
  const classes = Array.from({ length: arch.config.classes }, (_, i) => `class${i}`);
  const palette = classes.map((_, i) => CITYSCAPES_PALETTE[i % CITYSCAPES_PALETTE.length]);
  return {
    meta: {
      // Random weights are drawn in the converted layout (no decoder BatchNorm tensors), so the
      // model is folded whatever the given architecture says: a training-side arch (models'
      // archFor, bnFolded unset) benchmarks as is — the full preset's SegFormer-B5 row did not.
      arch: { ...arch, decoder: { ...arch.decoder, bnFolded: true } },
      precision,
      quant,
      classes,
      palette,
      input: {
        height: o.height ?? 256,
        width: o.width ?? 512,
        mean: [123.675, 116.28, 103.53],
        std: [58.395, 57.12, 57.375],
      },
      provenance: { weights: 'random (for speed measurements only)' },
      params,
      macs: 0,
    },
    tensors,
  };
}
