// families/span.ts — element spans for the wrappers of the elementwise families (unaryF32, binaryF32,
// reduceF32, adamwF32): a KBuf, an element offset into it and a length, checked against the buffer
// and turned into the byte pointer a kernel takes; plus the aliasing rules those kernels state.
// The wrappers are called with KBuf.at(arena, 'f32', ptr, length) handles over tensor storage, so
// aliasing is judged by addresses, never by which KBuf object a span came from.
import { expectBuf, expectInt, type KBuf } from '../kbuf.js';

export interface Span {
  readonly name: string;
  readonly buf: KBuf;
  /** Byte offset of the first element in the module memory. */
  readonly ptr: number;
  /** Elements. */
  readonly n: number;
}

/** `n` f32 at element `offset` of `buf`; `why` explains n in the error text. */
export function span(op: string, name: string, buf: KBuf, offset: number, n: number, why: string): Span {
  expectInt(op, `${name}Offset`, offset, 0);
  expectBuf(op, name, buf, 'f32', offset + n, offset > 0 ? `${name}Offset + ${why}` : why);
  return { name, buf, ptr: buf.ptr + 4 * offset, n };
}

/** The elements a buffer has after `offset` (the default length of an elementwise call). */
export function restOf(op: string, name: string, buf: KBuf, offset: number): number {
  expectInt(op, `${name}Offset`, offset, 0, buf.length);
  return buf.length - offset;
}

function range(s: Span): string {
  return `[${s.ptr}, ${s.ptr + 4 * s.n})`;
}

function overlaps(a: Span, b: Span): boolean {
  return a.n > 0 && b.n > 0 && a.ptr < b.ptr + 4 * b.n && b.ptr < a.ptr + 4 * a.n;
}

/** Every span lives in the same kernel memory. */
export function sameMemory(op: string, spans: readonly Span[]): void {
  for (const s of spans) {
    if (s.buf.arena !== spans[0].buf.arena) {
      throw new Error(
        `${op}: ${spans[0].name} and ${s.name} live in different kernel memories. Expected all from the same Kernels.`,
      );
    }
  }
}

/** An input and an output start at the same element (in place) or do not overlap. */
export function inPlaceOrDisjoint(op: string, input: Span, output: Span): void {
  if (input.ptr === output.ptr || !overlaps(input, output)) return;
  throw new Error(
    `${op}: ${input.name} and ${output.name} overlap without starting at the same element. Expected ` +
      `disjoint spans or ${output.name} at ${input.name}'s first element (in place), got ${input.name} at ` +
      `${range(input)} and ${output.name} at ${range(output)}.`,
  );
}

/** Two spans do not overlap at all. */
export function disjoint(op: string, a: Span, b: Span, why: string): void {
  if (!overlaps(a, b)) return;
  throw new Error(
    `${op}: ${a.name} and ${b.name} overlap (${why}). Expected disjoint spans, got ${a.name} at ${range(a)} ` +
      `and ${b.name} at ${range(b)}.`,
  );
}

/** A finite number (scalar arguments that become f32). */
export function expectFinite(op: string, name: string, v: number): void {
  if (!Number.isFinite(v))
    throw new Error(`${op}: ${name} must be a finite number. Expected finite, got ${v}.`);
}
