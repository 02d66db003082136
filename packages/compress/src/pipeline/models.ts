// models.ts — the pipeline's models by name: SegFormers (float files carry their architecture) and
// the MobileNetV3 LR-ASPP baseline (float files carry its config name), with the cost and modelled
// energy of any of them at a resolution, so every row of the report is costed the same way.
import { type Backend, Rng, Tensor } from '@edgeseg/autograd';
import {
  addCost,
  type Cost,
  CountingBackend,
  countForward,
  isMobileNet,
  MOBILENET_CONFIGS,
  MobileNetV3LRASPP,
  type SegFormer,
  zeroCost,
} from '@edgeseg/models';
import { readSafetensorsFile, type StTensor, writeSafetensorsFile } from '@edgeseg/safetensors';
import { ACT_BYTES, costEnergy } from '../energy/energyModel.js';
import type { EnergyProfile, Precision } from '../energy/profile.js';
import { loadFloatModel } from '../train/modelFile.js';

export const CNN_MODEL_FORMAT = 'edgeseg-cnn/1';

export function newCnn(be: Backend, name: string, seed: number): MobileNetV3LRASPP {
  const c = MOBILENET_CONFIGS[name];
  if (!c) {
    throw new Error(
      `cnn: unknown architecture "${name}". Expected one of ${Object.keys(MOBILENET_CONFIGS).join(', ')}.`,
    );
  }
  return new MobileNetV3LRASPP(be, c, new Rng(seed));
}

export function saveCnn(path: string, model: MobileNetV3LRASPP, meta: Record<string, string> = {}): void {
  const tensors = new Map<string, StTensor>();
  for (const [name, t] of model.namedTensors()) {
    tensors.set(name, {
      dtype: 'F32',
      shape: [...t.shape],
      data: Float32Array.from(t.backend.view(t.storage).subarray(0, t.size)),
    });
  }
  writeSafetensorsFile(path, tensors, { ...meta, format: CNN_MODEL_FORMAT, config: model.config.name });
}

export function loadCnn(path: string, be: Backend): MobileNetV3LRASPP {
  const { metadata, tensors } = readSafetensorsFile(path);
  if (metadata.format !== CNN_MODEL_FORMAT || !isMobileNet(metadata.config ?? '')) {
    throw new Error(
      `file: ${path}: not an edgeseg CNN model. Expected format "${CNN_MODEL_FORMAT}" with a MobileNetV3 config, got "${metadata.format ?? 'none'}" / "${metadata.config ?? 'none'}".`,
    );
  }
  const model = newCnn(be, metadata.config, 0);
  for (const [name, t] of model.namedTensors()) {
    const src = tensors.get(name);
    if (src?.dtype !== 'F32' || src.shape.join(',') !== t.shape.join(',')) {
      model.dispose();
      throw new Error(
        `file: ${path}: tensor "${name}" is ${src ? `${src.dtype}[${src.shape}]` : 'missing'}. Expected F32[${t.shape}].`,
      );
    }
    be.view(t.storage).set(src.data as Float32Array);
  }
  return model;
}

/** Whole-model cost of a CNN at [h, w] (one frame). */
export function cnnCost(name: string, h: number, w: number, cacheElems?: number): Cost {
  const be = new CountingBackend();
  const model = newCnn(be, name, 0);
  const sites = countForward(model, be, () => Tensor.zeros(be, [1, h, w, 3]), { cacheElems });
  let total = zeroCost();
  for (const c of sites.values()) total = addCost(total, c);
  return total;
}

/** Modelled energy (mJ) and latency (ms) per frame of a CNN, as modelEnergy does for a SegFormer. */
export function cnnEnergy(name: string, h: number, w: number, p: EnergyProfile, prec: Precision) {
  const c = cnnCost(name, h, w, p.cacheBytes / ACT_BYTES[prec]);
  const e = costEnergy(c, p, prec);
  return { energyMj: e.totalPj * 1e-9, latencyMs: e.latencyS * 1e3, macs: c.macs, params: c.params };
}

/** A float model file of either family (SegFormer or CNN), by its metadata. */
export function loadAnyFloatModel(path: string, be: Backend): SegFormer | MobileNetV3LRASPP {
  const format = readSafetensorsFile(path).metadata.format;
  return format === CNN_MODEL_FORMAT ? loadCnn(path, be) : loadFloatModel(path, be).model;
}
