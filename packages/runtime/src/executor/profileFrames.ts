// profileFrames.ts — per-op and per-kernel time of whole frames on one thread (profile.ts), as
// `segment()` runs them: normalize, network, logits upsampling and argmax.
import { type Kernels, loadKernels } from '@edgeseg/kernels';
import type { EdgesegModelFile } from '../format.js';
import { OpProfile, type ProfileEntry, profiledKernels } from './profile.js';
import { soloRun } from './run.js';
import { SegFormerExecutor } from './segformerExecutor.js';
import { segmentFrame } from './segmentFrame.js';

export interface FrameProfile {
  /** Frames summed into the tables (after the warm-up ones). */
  frames: number;
  /** Whether the times are CPU time (else wall time). */
  cpuTime: boolean;
  /** Per op (`s<stage>.<op>`, `dec.<op>`, `pre.…`, `post.…`), summed over the frames. */
  ops: Record<string, ProfileEntry>;
  /** Per kernel op, summed over the frames (nested inside the ops). */
  kernels: Record<string, ProfileEntry>;
  /** Whole frames, summed. */
  total: ProfileEntry;
}

/**
 * Run `frames` frames of the model's input size (after `warmup` untimed ones) with every op timed.
 * The image is synthetic: the network's cost does not depend on pixel values.
 */
export async function profileFrames(
  file: EdgesegModelFile,
  o: { frames: number; warmup?: number; kernels?: Kernels },
): Promise<FrameProfile> {
  const k = o.kernels ?? (await loadKernels());
  const prof = new OpProfile();
  const pk = profiledKernels(k, prof);
  const ex = new SegFormerExecutor(pk, file);
  const { height, width } = file.meta.input;
  const rgb = Uint8Array.from({ length: height * width * 3 }, (_, i) => (i * 37 + (i >> 7)) & 255);
  const frame = () => segmentFrame(ex, soloRun(pk, ex.ws, prof), file.meta.input, width, height, rgb);
  try {
    for (let i = 0; i < (o.warmup ?? 1); i++) frame();
    prof.clear();
    const whole = new OpProfile();
    for (let i = 0; i < o.frames; i++) {
      whole.op('frame');
      frame();
      whole.op(null);
    }
    return {
      frames: o.frames,
      cpuTime: prof.cpuTime,
      ops: Object.fromEntries(prof.ops),
      kernels: Object.fromEntries(prof.kernels),
      total: whole.ops.get('frame')!,
    };
  } finally {
    ex.release();
  }
}
