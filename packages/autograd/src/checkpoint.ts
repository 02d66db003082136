// checkpoint.ts — training state as one safetensors file: weights, buffers, optimizer moments, the
// step, the schedule's learning rate and RNG states, so a resumed run continues bit for bit.
// Written atomically; read with the bounded safetensors reader, every name and shape checked.
import { readSafetensorsFile, type StTensor, writeSafetensorsFile } from '@edgeseg/safetensors';
import type { Module } from './nn/module.js';
import type { Optimizer } from './optim/optimizer.js';
import type { Rng } from './rng.js';
import type { Tensor } from './tensor.js';

export const CHECKPOINT_FORMAT = 'edgeseg-ckpt/1';

export interface TrainingState {
  model: Module;
  optimizer?: Optimizer;
  rngs?: Record<string, Rng>;
  /** Free-form strings kept in the header (config, metrics…). */
  metadata?: Record<string, string>;
}

function f32(t: Tensor): StTensor {
  const v = t.backend.view(t.storage);
  return { dtype: 'F32', shape: [...t.shape], data: Float32Array.from(v.subarray(0, t.size)) };
}

export function saveCheckpoint(path: string, s: TrainingState): void {
  const tensors = new Map<string, StTensor>();
  for (const [name, t] of s.model.namedTensors()) tensors.set(`model.${name}`, f32(t));
  if (s.optimizer) for (const [name, t] of s.optimizer.stateTensors()) tensors.set(`optim.${name}`, f32(t));
  for (const [name, rng] of Object.entries(s.rngs ?? {}))
    tensors.set(`rng.${name}`, { dtype: 'U32', shape: [4], data: rng.state });
  writeSafetensorsFile(path, tensors, {
    ...s.metadata,
    format: CHECKPOINT_FORMAT,
    step: String(s.optimizer?.step ?? 0),
    lr: String(s.optimizer?.lr ?? 0),
  });
}

/** Load into an existing model (and optimizer, RNGs) of the same architecture; returns the metadata. */
export function loadCheckpoint(path: string, s: TrainingState): Record<string, string> {
  const { metadata, tensors } = readSafetensorsFile(path);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `file: ${path}: not an edgeseg checkpoint. Expected format "${CHECKPOINT_FORMAT}", got "${metadata.format ?? 'none'}".`,
    );
  }
  const assign = (key: string, t: Tensor) => {
    const src = tensors.get(key);
    if (!src) throw new Error(`file: ${path}: missing tensor "${key}" for shape [${t.shape}].`);
    if (src.dtype !== 'F32' || src.shape.join(',') !== t.shape.join(',')) {
      throw new Error(
        `file: ${path}: tensor "${key}" is ${src.dtype}[${src.shape}]. Expected F32[${t.shape}] (a different architecture?).`,
      );
    }
    t.backend.view(t.storage).set(src.data as Float32Array);
  };
  const model = s.model.namedTensors();
  const known = new Set(model.map(([n]) => `model.${n}`));
  const extra = [...tensors.keys()].filter((k) => k.startsWith('model.') && !known.has(k));
  if (extra.length > 0)
    throw new Error(
      `file: ${path}: tensors the model does not have: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}.`,
    );
  for (const [name, t] of model) assign(`model.${name}`, t);
  if (s.optimizer) {
    const opt = s.optimizer;
    const state = opt.stateTensors();
    const present = state.filter(([n]) => tensors.has(`optim.${n}`));
    if (present.length > 0) for (const [name, t] of state) assign(`optim.${name}`, t);
    opt.step = Number(metadata.step ?? 0);
    opt.lr = Number(metadata.lr ?? opt.lr);
  }
  for (const [name, rng] of Object.entries(s.rngs ?? {})) {
    const r = tensors.get(`rng.${name}`);
    if (r?.dtype !== 'U32' || r.data.length !== 4)
      throw new Error(`file: ${path}: missing RNG state "rng.${name}".`);
    rng.state = r.data as Uint32Array;
  }
  return metadata;
}
