// modelFile.ts — float models on disk: a safetensors file whose metadata carries the (possibly
// excised) architecture, so a reader rebuilds the right graph; and the training bundle (model, gate
// parameters, optimizer moments, RNG, step) that makes a stage resumable.
import {
  type Backend,
  loadCheckpoint,
  Module,
  type Optimizer,
  Rng,
  saveCheckpoint,
  type Tensor,
} from '@edgeseg/autograd';
import { checkArch, SegFormer, type SegFormerArch } from '@edgeseg/models';
import { readSafetensorsFile, type StTensor, writeSafetensorsFile } from '@edgeseg/safetensors';

export const FLOAT_MODEL_FORMAT = 'edgeseg-float/1';

export function saveFloatModel(path: string, model: SegFormer, meta: Record<string, string> = {}): void {
  const tensors = new Map<string, StTensor>();
  for (const [name, t] of model.namedTensors()) {
    tensors.set(name, {
      dtype: 'F32',
      shape: [...t.shape],
      data: Float32Array.from(t.backend.view(t.storage).subarray(0, t.size)),
    });
  }
  writeSafetensorsFile(path, tensors, {
    ...meta,
    format: FLOAT_MODEL_FORMAT,
    arch: JSON.stringify(model.arch),
  });
}

export function loadFloatModel(
  path: string,
  be: Backend,
): { model: SegFormer; meta: Record<string, string> } {
  const { metadata, tensors } = readSafetensorsFile(path);
  if (metadata.format !== FLOAT_MODEL_FORMAT) {
    throw new Error(
      `file: ${path}: not an edgeseg float model. Expected format "${FLOAT_MODEL_FORMAT}", got "${metadata.format ?? 'none'}".`,
    );
  }
  let archJson: unknown;
  try {
    archJson = JSON.parse(metadata.arch ?? '');
  } catch {
    throw new Error(`file: ${path}: metadata "arch" is not JSON.`);
  }
  const arch = checkArch(archJson, `file: ${path}`);
  const model = new SegFormer(be, arch, new Rng(0));
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
  return { model, meta: metadata };
}

/** Model + gate parameters as one Module, so checkpoints carry both under stable names. */
export class TrainingBundle extends Module {
  constructor(
    readonly model: Module,
    readonly gates: Tensor[] = [],
  ) {
    super();
  }
}

export function saveTrainingState(
  path: string,
  s: { model: Module; gates?: Tensor[]; optimizer: Optimizer; rng: Rng; meta: Record<string, string> },
): void {
  saveCheckpoint(path, {
    model: new TrainingBundle(s.model, s.gates ?? []),
    optimizer: s.optimizer,
    rngs: { main: s.rng },
    metadata: s.meta,
  });
}

export function loadTrainingState(
  path: string,
  s: { model: Module; gates?: Tensor[]; optimizer: Optimizer; rng: Rng },
): Record<string, string> {
  return loadCheckpoint(path, {
    model: new TrainingBundle(s.model, s.gates ?? []),
    optimizer: s.optimizer,
    rngs: { main: s.rng },
  });
}

/** The architecture recorded in a checkpoint's metadata (stages whose model shrinks while training). */
export function checkpointArch(path: string): SegFormerArch | null {
  const { metadata } = readSafetensorsFile(path);
  if (!metadata.arch) return null;
  return checkArch(JSON.parse(metadata.arch), `file: ${path}`);
}
