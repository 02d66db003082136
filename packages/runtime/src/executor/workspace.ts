// workspace.ts — the executor's planned memory: named buffers allocated on the first frame and
// reused by every frame after it (no allocation per frame). A buffer only ever grows, so a larger
// input allocates once more and then stays flat too.
import type { DType, KBuf, Kernels } from '@edgeseg/kernels';

export class Workspace {
  private readonly bufs = new Map<string, KBuf>();

  constructor(readonly k: Kernels) {}

  get<D extends DType>(name: string, dtype: D, length: number): KBuf<D> {
    const b = this.bufs.get(name);
    if (b && b.dtype === dtype && b.length >= length) return b as KBuf<D>;
    b?.release();
    const nb = this.k.alloc(dtype, Math.max(length, 1));
    this.bufs.set(name, nb);
    return nb;
  }

  f32(name: string, length: number): KBuf<'f32'> {
    return this.get(name, 'f32', length);
  }

  bytes(): number {
    let n = 0;
    for (const b of this.bufs.values()) n += b.byteLength;
    return n;
  }

  release(): void {
    for (const b of this.bufs.values()) b.release();
    this.bufs.clear();
  }
}
