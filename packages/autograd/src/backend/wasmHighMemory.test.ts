import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { WasmBackend } from './wasm.js';

// Arena offsets past 2 GiB are negative as int32: byte offset → f32 index must be `>>> 2`, not `>> 2`
// (with `>> 2`, fill zeroed from the end of memory instead: gradients were never cleared and a
// SegFormer-B1 → B0 distillation after a B1 teacher stopped learning, then produced NaN).
describe('WasmBackend above 2 GiB of memory', () => {
  it('fills, copies and reads tensors whose offsets do not fit an int32', () => {
    const be = new WasmBackend(undefined, { isa: 'simd128' });
    const hog = new Tensor(be, [(2 ** 31 + 2 ** 20) / 4]); // pushes what follows past 2^31 bytes
    const a = Tensor.from(be, [5], [1, 2, 3, 4, 5]);
    const b = new Tensor(be, [5]);
    expect((a.storage as unknown as { ptr: number }).ptr).toBeGreaterThan(2 ** 31);
    be.fill(b.storage, 7);
    expect([...b.toArray()]).toEqual([7, 7, 7, 7, 7]);
    be.copy(a.storage, 1, b.storage, 0, 3);
    expect([...b.toArray()]).toEqual([2, 3, 4, 7, 7]);
    expect([...a.add(b).toArray()]).toEqual([3, 5, 7, 11, 12]);
    hog.dispose();
  });
});
