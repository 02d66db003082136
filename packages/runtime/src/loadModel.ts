// loadModel.ts — an `.edgeseg` file as a SegmentationModel: read and validated, weights packed into
// kernel memory once, then `segment` per frame: resize the RGB image to the model input (bilinear,
// half-pixel centres), normalize, run the executor, resize the logits to the input size the same way
// and take the argmax — exactly what the trainer's evaluation does, so masks agree.
import { type Kernels, loadKernels, resizeBilinearF32 } from '@edgeseg/kernels';
import { SegFormerExecutor } from './executor/segformerExecutor.js';
import { decodeEdgeseg, type EdgesegModelFile } from './format.js';
import { readEdgeseg } from './formatFile.js';
import type { ModelInfo, SegmentationModel, SegmentationResult } from './segmentationModel.js';

export interface LoadModelOptions {
  /** Worker threads (1 = the calling thread; the default). */
  threads?: number;
  /** Kernel instance to run on (default: a fresh one with the best ISA). */
  kernels?: Kernels;
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

/** Argmax over the last axis of NHWC scores (c classes) into class ids. */
export function argmaxScores(v: Float32Array, pixels: number, c: number, out: Uint8Array): void {
  for (let i = 0, o = 0; i < pixels; i++, o += c) {
    let best = 0;
    let bv = v[o];
    for (let k = 1; k < c; k++) {
      const x = v[o + k];
      if (x > bv) {
        bv = x;
        best = k;
      }
    }
    out[i] = best;
  }
}

class LoadedModel implements SegmentationModel {
  readonly info: ModelInfo;
  readonly threads = 1;
  private readonly ex: SegFormerExecutor;

  constructor(
    private readonly k: Kernels,
    file: EdgesegModelFile,
  ) {
    this.info = infoOf(file);
    this.ex = new SegFormerExecutor(k, file);
  }

  async segment(rgb: Uint8Array, width: number, height: number): Promise<SegmentationResult> {
    if (
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width < 1 ||
      height < 1 ||
      rgb.length < width * height * 3
    ) {
      throw new Error(
        `segment: image of ${rgb.length} bytes is not ${width}×${height} RGB. Expected ${width * height * 3} bytes.`,
      );
    }
    const { height: H, width: W, mean, std } = this.info.input;
    const ws = this.ex.ws;
    const src = ws.f32('pre.src', width * height * 3);
    const v = src.view();
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < 3; c++) v[i * 3 + c] = (rgb[i * 3 + c] - mean[c]) / std[c];
    }
    let img = src;
    if (width !== W || height !== H) {
      img = ws.f32('pre.img', W * H * 3);
      resizeBilinearF32(this.k, src, img, { batch: 1, inH: height, inW: width, outH: H, outW: W, c: 3 });
    }
    const t0 = performance.now();
    const { logits, height: lh, width: lw } = this.ex.forward(img, H, W);
    const classesN = this.info.classes.length;
    const up = ws.f32('post.up', H * W * classesN);
    resizeBilinearF32(this.k, logits, up, { batch: 1, inH: lh, inW: lw, outH: H, outW: W, c: classesN });
    const classes = new Uint8Array(H * W);
    argmaxScores(up.view(), H * W, classesN, classes);
    return { classes, height: H, width: W, inferenceMs: performance.now() - t0 };
  }

  async dispose(): Promise<void> {
    this.ex.release();
  }
}

/** Load an `.edgeseg` model (a path in Node, or the file's bytes) for inference. */
export async function loadModel(
  source: string | Uint8Array,
  o: LoadModelOptions = {},
): Promise<SegmentationModel> {
  const file = typeof source === 'string' ? readEdgeseg(source) : decodeEdgeseg(source, '<bytes>');
  const threads = o.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`loadModel: threads must be a whole number ≥ 1. Got ${threads}.`);
  }
  const k = o.kernels ?? (await loadKernels());
  return new LoadedModel(k, file);
}
