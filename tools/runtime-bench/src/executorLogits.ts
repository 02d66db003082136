// executorLogits.ts — our executor's logits for one normalized NHWC image (what the exported ONNX
// must reproduce): a fresh kernel instance, one forward, the logits copied out, memory released.
import { loadKernels } from '@edgeseg/kernels';
import { type EdgesegModelFile, SegFormerExecutor } from '@edgeseg/runtime';

export async function executorLogits(
  file: EdgesegModelFile,
  image: Float32Array,
  height: number,
  width: number,
): Promise<{ logits: Float32Array; height: number; width: number }> {
  const k = await loadKernels();
  const ex = new SegFormerExecutor(k, file);
  const img = k.from('f32', image);
  try {
    const out = ex.forward(img, height, width);
    const n = out.height * out.width * file.meta.arch.config.classes;
    return { logits: out.logits.view().slice(0, n), height: out.height, width: out.width };
  } finally {
    img.release();
    ex.release();
  }
}
