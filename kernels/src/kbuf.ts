// kbuf.ts — a typed handle on one arena block, so wrappers can check sizes and name what is wrong.
import type { Arena, DType, TypedArrayOf } from './arena.js';
import { DTYPE_BYTES } from './arena.js';

export class KBuf<D extends DType = DType> {
  readonly arena: Arena;
  readonly dtype: D;
  readonly length: number;
  readonly ptr: number;
  /** False for handles made by `KBuf.at` over memory someone else owns. */
  readonly owned: boolean;
  private released = false;

  constructor(arena: Arena, dtype: D, length: number, at?: number) {
    if (!Number.isInteger(length) || length < 0) {
      throw new Error(`KBuf: length must be a whole number ≥ 0. Expected an element count, got ${length}.`);
    }
    this.arena = arena;
    this.dtype = dtype;
    this.length = length;
    this.owned = at === undefined;
    this.ptr = at ?? arena.alloc(length * DTYPE_BYTES[dtype]);
  }

  /** A non-owning handle on `length` elements at byte offset `ptr` (a slice of another block). */
  static at<D extends DType>(arena: Arena, dtype: D, ptr: number, length: number): KBuf<D> {
    if (!Number.isInteger(ptr) || ptr < 0 || ptr % DTYPE_BYTES[dtype] !== 0) {
      throw new Error(
        `KBuf.at: offset ${ptr} is not a valid ${dtype} address. Expected a multiple of ${DTYPE_BYTES[dtype]}.`,
      );
    }
    return new KBuf(arena, dtype, length, ptr);
  }

  get byteLength(): number {
    return this.length * DTYPE_BYTES[this.dtype];
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** A fresh view (views die on memory.grow: do not keep one across allocations). */
  view(): TypedArrayOf<D> {
    this.assertLive('view');
    return this.arena.view(this.dtype, this.ptr, this.length);
  }

  /** Copy `src` in at element `offset`. */
  set(src: ArrayLike<number>, offset = 0): this {
    this.assertLive('set');
    if (offset < 0 || offset + src.length > this.length) {
      throw new Error(
        `KBuf.set: source of ${src.length} elements at offset ${offset} does not fit. Expected ≤ ${this.length} elements.`,
      );
    }
    (this.view() as unknown as { set(a: ArrayLike<number>, o: number): void }).set(src, offset);
    return this;
  }

  fill(value: number): this {
    this.assertLive('fill');
    (this.view() as unknown as { fill(v: number): void }).fill(value);
    return this;
  }

  /** A copy of the contents, safe to keep. */
  toArray(): TypedArrayOf<D> {
    return this.view().slice() as TypedArrayOf<D>;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.owned) this.arena.release(this.ptr);
  }

  private assertLive(op: string): void {
    if (this.released) throw new Error(`KBuf.${op}: buffer at ${this.ptr} was already released.`);
  }
}

/** Shape checks shared by the wrappers: `<op>: <what>. Expected <x>, got <y>.` */
export function expectBuf(
  op: string,
  name: string,
  buf: KBuf,
  dtype: DType,
  minLength: number,
  why: string,
): void {
  if (buf.isReleased) throw new Error(`${op}: ${name} was already released.`);
  if (buf.dtype !== dtype)
    throw new Error(`${op}: ${name} has the wrong dtype. Expected ${dtype}, got ${buf.dtype}.`);
  if (buf.length < minLength) {
    throw new Error(
      `${op}: ${name} is too small. Expected ≥ ${minLength} elements (${why}), got ${buf.length}.`,
    );
  }
}

export function expectInt(op: string, name: string, v: number, min: number, max = 2 ** 31 - 1): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new Error(`${op}: ${name} is out of range. Expected an integer in [${min}, ${max}], got ${v}.`);
  }
}
