// loadModel.ts — an `.edgeseg` file as a SegmentationModel: read and validated, weights packed into
// kernel memory once, then `segment` per frame: resize the RGB image to the model input (bilinear,
// half-pixel centres), normalize, run the executor, resize the logits to the input size the same way
// and take the argmax (executor/segmentFrame.ts) — on this thread, or on worker threads sharing one
// kernel memory (threads/threadedModel.ts) with bit-identical results.
import { isThreadsSupported, type Kernels, loadKernels } from '@edgeseg/kernels';
import { soloRun } from './executor/run.js';
import { SegFormerExecutor } from './executor/segformerExecutor.js';
import { segmentFrame } from './executor/segmentFrame.js';
import { decodeEdgeseg, type EdgesegModelFile } from './format.js';
import { readEdgeseg } from './formatFile.js';
import type { ModelInfo, SegmentationModel, SegmentationResult } from './segmentationModel.js';
import { availableThreads } from './threads/cores.js';
import { checkImage, ThreadedModel } from './threads/threadedModel.js';

export { argmaxScores } from './executor/segmentFrame.js';

export interface LoadModelOptions {
  /**
   * Threads to run on: a whole number ≥ 1 (1 = the calling thread, no workers) or 'auto' (the
   * default): the cores this process may use. More than 1 needs shared WebAssembly memory; where the
   * host lacks it the model runs on 1 thread (with a warning when a number was asked for).
   */
  threads?: number | 'auto';
  /**
   * With threads > 1: each worker runs whole frames alone, so concurrent segment() calls overlap
   * (throughput), instead of every worker sharing each frame's rows (latency; the default).
   */
  pipeline?: boolean;
  /**
   * Run the network at this input size instead of the file's (`info.input`): frames are resized to it
   * and the masks come out at it. SegFormer is resolution-agnostic; sides must be multiples of 32. A
   * model evaluated at 256×512 and deployed at 512×1024, say. `info.macs` is then the file's count
   * scaled by the pixel ratio, an estimate (`info.macsNote` says so: attention grows faster).
   */
  inputSize?: { height: number; width: number };
  /** Kernel instance to run on (default: a fresh one with the best ISA; shared memory for threads > 1). */
  kernels?: Kernels;
  /** Receives the notice when threads cannot be used (default: console.warn). */
  onWarning?: (message: string) => void;
}

function infoOf(f: EdgesegModelFile): ModelInfo {
  const m = f.meta;
  return {
    format: 'edgeseg/1',
    arch: m.arch.config.name,
    archJson: m.arch,
    precision: m.precision,
    params: m.params,
    macs: m.macs,
    classes: m.classes,
    palette: m.palette,
    input: m.input,
    provenance: m.provenance,
  };
}

class LoadedModel implements SegmentationModel {
  readonly info: ModelInfo;
  readonly threads = 1;
  private readonly ex: SegFormerExecutor;

  constructor(
    private readonly k: Kernels,
    file: EdgesegModelFile,
    info: ModelInfo,
  ) {
    this.info = info;
    this.ex = new SegFormerExecutor(k, file);
  }

  async segment(rgb: Uint8Array, width: number, height: number): Promise<SegmentationResult> {
    checkImage(rgb, width, height);
    const r = segmentFrame(this.ex, soloRun(this.k, this.ex.ws), this.info.input, width, height, rgb);
    return { classes: r.classes.toArray(), height: r.height, width: r.width, inferenceMs: r.inferenceMs };
  }

  async dispose(): Promise<void> {
    this.ex.release();
  }
}

/** The thread count to use, or why threads cannot be had here. */
function threadCount(o: LoadModelOptions): { threads: number; notice?: string } {
  const asked = o.threads ?? 'auto';
  if (asked !== 'auto' && (!Number.isInteger(asked) || asked < 1)) {
    throw new Error(`loadModel: threads must be a whole number ≥ 1 or 'auto'. Got ${asked}.`);
  }
  const want = asked === 'auto' ? availableThreads() : asked;
  if (want === 1) return { threads: 1 };
  const canSpawn =
    (typeof process === 'object' && typeof process.versions?.node === 'string') ||
    typeof Worker === 'function';
  const why = !isThreadsSupported()
    ? 'this host lacks shared WebAssembly memory (SharedArrayBuffer; a browser page must be cross-origin isolated)'
    : !canSpawn
      ? 'this host has no worker threads'
      : o.kernels && !o.kernels.shared
        ? 'the kernels given are not on a shared memory (loadKernels({ threads: true }) makes some)'
        : null;
  if (why === null) return { threads: want };
  return {
    threads: 1,
    notice:
      asked === 'auto'
        ? undefined
        : `loadModel: ${asked} threads were asked for, but ${why}; running on 1 thread.`,
  };
}

/** Load an `.edgeseg` model (a path in Node, or the file's bytes) for inference. */
export async function loadModel(
  source: string | Uint8Array,
  o: LoadModelOptions = {},
): Promise<SegmentationModel> {
  const file = typeof source === 'string' ? readEdgeseg(source) : decodeEdgeseg(source, '<bytes>');
  let macsNote: string | undefined;
  if (o.inputSize) {
    const { height, width } = o.inputSize;
    for (const [name, v] of [
      ['height', height],
      ['width', width],
    ] as const) {
      if (!Number.isInteger(v) || v < 32 || v % 32 !== 0 || v > 8192) {
        throw new Error(
          `loadModel: inputSize.${name} must be a multiple of 32 in [32, 8192] (the network downsamples by 32). Got ${v}.`,
        );
      }
    }
    const was = file.meta.input;
    if (height !== was.height || width !== was.width) {
      macsNote = `${was.height}×${was.width} count × ${height}×${width} / ${was.height}×${was.width} pixels (an estimate: attention grows faster than the pixel count)`;
      file.meta.macs = Math.round((file.meta.macs * height * width) / (was.height * was.width));
      file.meta.input = { ...was, height, width };
    }
  }
  const { threads, notice } = threadCount(o);
  if (notice) (o.onWarning ?? console.warn)(notice);
  const info = { ...infoOf(file), ...(macsNote ? { macsNote } : {}) };
  if (threads === 1) return new LoadedModel(o.kernels ?? (await loadKernels()), file, info);
  const k = o.kernels ?? (await loadKernels({ threads: true }));
  return ThreadedModel.create(k, file, info, { threads, pipeline: o.pipeline ?? false });
}
