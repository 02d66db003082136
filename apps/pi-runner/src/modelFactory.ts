// modelFactory.ts — how the runner gets a SegmentationModel: the one injection point between this CLI and
// the executor. The binary uses @edgeseg/runtime's loadModel (which refuses corrupt or foreign files with a
// message naming the file); tests inject small fake models.
import { loadModel, type SegmentationModel } from '@edgeseg/runtime';

export type ModelFactory = (
  path: string,
  opts: { threads?: number; pipeline?: boolean; inputSize?: { height: number; width: number } },
) => Promise<SegmentationModel>;

export const runtimeModelFactory: ModelFactory = (path, opts) =>
  loadModel(path, { threads: opts.threads, pipeline: opts.pipeline, inputSize: opts.inputSize });
