// fakeModel.fixture.ts — a SegmentationModel for the CLI tests until the INT8 executor lands: it resizes the
// image to its input size (nearest) and calls a pixel "bright" (class 1) when its mean RGB exceeds 127.
import type { ModelInfo, SegmentationModel } from '@edgeseg/runtime';
import type { ModelFactory } from './modelFactory.js';

export const FAKE_INFO: ModelInfo = {
  format: 'edgeseg/1',
  arch: 'fake-threshold',
  archJson: {},
  precision: 'int8',
  params: 1000,
  macs: 2e6,
  classes: ['dark', 'bright'],
  palette: [
    [0, 0, 255],
    [255, 255, 0],
  ],
  input: { height: 4, width: 6, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  provenance: { teacher: 'none', dataset: 'synthetic' },
};

export function brightnessModel(
  threads = 1,
  info: ModelInfo = FAKE_INFO,
): SegmentationModel & { disposed: boolean; calls: number } {
  const model = {
    info,
    threads,
    disposed: false,
    calls: 0,
    async segment(rgb: Uint8Array, width: number, height: number) {
      if (rgb.length !== width * height * 3) {
        throw new Error(`segment: rgb has ${rgb.length} bytes. Expected ${width * height * 3}.`);
      }
      model.calls++;
      const { height: h, width: w } = info.input;
      const classes = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const sx = Math.floor(((x + 0.5) * width) / w);
          const sy = Math.floor(((y + 0.5) * height) / h);
          const i = (sy * width + sx) * 3;
          classes[y * w + x] = rgb[i] + rgb[i + 1] + rgb[i + 2] > 3 * 127 ? 1 : 0;
        }
      }
      return { classes, height: h, width: w, inferenceMs: 0.5 };
    },
    async dispose() {
      model.disposed = true;
    },
  };
  return model;
}

/** A factory that refuses any path not ending in .edgeseg, the way loadModel refuses foreign files. */
export function fakeFactory(made: ReturnType<typeof brightnessModel>[] = []): ModelFactory {
  return async (path, opts) => {
    if (!path.endsWith('.edgeseg')) {
      throw new Error(`${path}: not an edgeseg model. Expected format "edgeseg/1", got a file without it.`);
    }
    const m = brightnessModel(opts.threads ?? 1);
    made.push(m);
    return m;
  };
}
