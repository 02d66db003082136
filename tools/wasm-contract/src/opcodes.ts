// opcodes.ts — a small decoder of a .wasm code section: walks every instruction of every function
// body, counts SIMD (0xFD) and relaxed-SIMD (0xFD 0x100–0x113) opcodes and records direct calls.
//
// Why our own: @webassemblyjs/wasm-parser 1.14 stops at the first 0xFD (and even 0xFC, the
// saturating truncations) with "Unexpected instruction", so it can read a kernel module's
// types/imports/exports only with `ignoreCodeSection`. Decoding needs each opcode's immediates
// (to stay in step), not its meaning, so a table of immediate shapes is enough. Every body must end
// exactly at its last `end` with the block depth back to 0; anything else (an opcode this table
// does not know, a truncated body) is an error naming the function and byte offset, never a
// silent miscount.

/** Relaxed SIMD sub-opcodes after the 0xFD prefix (relaxed_swizzle … relaxed_dot_i8x16_i7x16_add_s). */
export const RELAXED_FIRST = 0x100;
export const RELAXED_LAST = 0x113;

export interface FunctionOps {
  /** Index in the function index space (imported functions first). */
  index: number;
  /** Byte offset of the body in the file. */
  offset: number;
  simd: number;
  relaxed: number;
  /** Distinct 0xFD sub-opcodes used. */
  simdOpcodes: Set<number>;
  /** Function indices called directly (`call`, `return_call`). */
  calls: Set<number>;
  /** Has `call_indirect` (its callees cannot be known statically). */
  indirect: boolean;
}

export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

class Reader {
  pos: number;
  constructor(
    readonly b: Uint8Array,
    pos: number,
    readonly end: number,
    readonly where: () => string,
  ) {
    this.pos = pos;
  }
  byte(): number {
    if (this.pos >= this.end) throw new DecodeError(`${this.where()}: unexpected end of the body.`);
    return this.b[this.pos++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new DecodeError(`${this.where()}: LEB128 longer than 5 bytes.`);
    }
  }
  /** Skip a signed LEB128 of at most `maxBytes` bytes (s32: 5, s33: 5, s64: 10). */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) if ((this.byte() & 0x80) === 0) return;
    throw new DecodeError(`${this.where()}: LEB128 longer than ${maxBytes} bytes.`);
  }
  skip(n: number): void {
    if (this.pos + n > this.end) throw new DecodeError(`${this.where()}: unexpected end of the body.`);
    this.pos += n;
  }
  memarg(): void {
    const align = this.u32();
    if (align & 0x40) this.u32(); // multi-memory: a memory index follows
    this.u32(); // offset
  }
  blockType(): void {
    const b = this.b[this.pos];
    if (b === 0x40 || (b >= 0x6f && b <= 0x7f))
      this.pos++; // empty or one value type
    else this.skipLeb(5); // s33 type index
  }
}

/** Immediates of the 0xFD sub-opcodes that have any (all others, relaxed ones included, have none). */
function simdImmediates(r: Reader, op: number): void {
  if (op <= 0x0b || op === 0x5c || op === 0x5d)
    r.memarg(); // loads, store, load32/64_zero
  else if (op === 0x0c || op === 0x0d)
    r.skip(16); // v128.const, i8x16.shuffle
  else if (op >= 0x15 && op <= 0x22)
    r.skip(1); // extract_lane / replace_lane
  else if (op >= 0x54 && op <= 0x5b) {
    r.memarg(); // load/store lane
    r.skip(1);
  }
}

/** Decode one function body (from just after its size to `end`). */
function decodeBody(b: Uint8Array, start: number, end: number, fn: FunctionOps, label: string): void {
  const r: Reader = new Reader(b, start, end, (): string => `${label}, byte ${r.pos}`);
  const localGroups = r.u32();
  for (let i = 0; i < localGroups; i++) {
    r.u32();
    r.byte();
  }
  let depth = 1; // the function's own block
  while (r.pos < end) {
    const op = r.byte();
    if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) {
      r.blockType();
      depth++;
    } else if (op === 0x0b) {
      depth--;
      if (depth === 0 && r.pos !== end) {
        throw new DecodeError(
          `${label}: the body's final end comes at byte ${r.pos - 1}, before its end ${end}.`,
        );
      }
    } else if (op === 0x18) {
      r.u32(); // delegate ends a try block
      depth--;
    } else if (op === 0x0c || op === 0x0d || op === 0x09 || op === 0x07 || op === 0x08) r.u32();
    else if (op === 0x0e) {
      const n = r.u32();
      for (let i = 0; i <= n; i++) r.u32();
    } else if (op === 0x10 || op === 0x12) fn.calls.add(r.u32());
    else if (op === 0x11 || op === 0x13) {
      r.u32();
      r.u32();
      fn.indirect = true;
    } else if (op === 0x1c) {
      const n = r.u32();
      r.skip(n);
    } else if ((op >= 0x20 && op <= 0x26) || op === 0xd2) r.u32();
    else if (op >= 0x28 && op <= 0x3e) r.memarg();
    else if (op === 0x3f || op === 0x40) r.u32();
    else if (op === 0x41) r.skipLeb(5);
    else if (op === 0x42) r.skipLeb(10);
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0xd0) r.byte();
    else if (op === 0xfc) {
      const sub = r.u32();
      if (sub <= 7) {
        // saturating truncations: no immediates
      } else if (sub === 8 || sub === 10 || sub === 12 || sub === 14) {
        r.u32();
        r.u32();
      } else if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
      else throw new DecodeError(`${label}: unknown opcode 0xFC ${sub} at byte ${r.pos}.`);
    } else if (op === 0xfd) {
      const sub = r.u32();
      if (sub > RELAXED_LAST)
        throw new DecodeError(`${label}: unknown SIMD opcode 0xFD ${sub} at byte ${r.pos}.`);
      fn.simd++;
      fn.simdOpcodes.add(sub);
      if (sub >= RELAXED_FIRST) fn.relaxed++;
      simdImmediates(r, sub);
    } else if (op === 0xfe) {
      const sub = r.u32();
      if (sub === 0x03)
        r.byte(); // atomic.fence
      else r.memarg();
    } else if (
      op === 0x00 ||
      op === 0x01 ||
      op === 0x05 ||
      op === 0x0f ||
      op === 0x19 ||
      op === 0x1a ||
      op === 0x1b ||
      op === 0xd1 ||
      (op >= 0x45 && op <= 0xc4)
    ) {
      // no immediates
    } else {
      throw new DecodeError(`${label}: unknown opcode 0x${op.toString(16)} at byte ${r.pos - 1}.`);
    }
  }
  if (depth !== 0) throw new DecodeError(`${label}: body ends inside ${depth} open block(s).`);
}

/** Sections of a module: id, payload start and end. */
export function sections(b: Uint8Array): { id: number; start: number; end: number }[] {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) {
    throw new DecodeError('not a WebAssembly module (no \\0asm header).');
  }
  const out: { id: number; start: number; end: number }[] = [];
  const r: Reader = new Reader(b, 8, b.length, (): string => `section header at byte ${r.pos}`);
  while (r.pos < b.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    out.push({ id, start, end: start + size });
  }
  return out;
}

/**
 * Decode every body of the code section. `importedFunctions` = number of imported functions, so
 * that `index` is in the function index space used by `call` and exports.
 */
export function decodeCode(b: Uint8Array, importedFunctions: number, file = 'module'): FunctionOps[] {
  const code = sections(b).find((s) => s.id === 10);
  if (!code) return [];
  const r: Reader = new Reader(b, code.start, code.end, (): string => `${file}: code section, byte ${r.pos}`);
  const n = r.u32();
  const out: FunctionOps[] = [];
  for (let i = 0; i < n; i++) {
    const size = r.u32();
    const start = r.pos;
    const fn: FunctionOps = {
      index: importedFunctions + i,
      offset: start,
      simd: 0,
      relaxed: 0,
      simdOpcodes: new Set(),
      calls: new Set(),
      indirect: false,
    };
    decodeBody(b, start, start + size, fn, `${file}: function ${fn.index}`);
    r.skip(size);
    out.push(fn);
  }
  if (r.pos !== code.end) throw new DecodeError(`${file}: code section has bytes after its last body.`);
  return out;
}
