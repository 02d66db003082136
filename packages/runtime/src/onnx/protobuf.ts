// protobuf.ts — the protobuf wire format, write side only: just what the ONNX exporter needs
// (varints, 32-bit floats, length-delimited strings/bytes/messages). Written here instead of
// depending on protobufjs so the runtime ships without it (a board installs @edgeseg/runtime and
// nothing else). Encoding rules: https://protobuf.dev/programming-guides/encoding/.
//
// The writer collects chunks and concatenates once at the end: a model's weights (megabytes) are
// referenced, not copied, while the messages around them are built, and a nested message is
// measured after it is written (its length prefix needs its size).

/** Wire types: 0 varint, 2 length-delimited, 5 fixed 32-bit. */
const VARINT = 0;
const LEN = 2;
const FIXED32 = 5;

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  /** Small writes accumulate here until a large chunk or the end flushes them. */
  private pending: number[] = [];
  private flushedBytes = 0;

  get length(): number {
    return this.flushedBytes + this.pending.length;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.flushedBytes += this.pending.length;
    this.pending = [];
  }

  private pushChunk(b: Uint8Array): void {
    this.flush();
    if (b.length === 0) return;
    this.chunks.push(b);
    this.flushedBytes += b.length;
  }

  /**
   * A varint. Negative numbers are written as their 64-bit two's complement (10 bytes), which is
   * how int64 fields such as ONNX's `axis = -1` or `dims` are read back.
   */
  private varint(v: number): void {
    if (!Number.isSafeInteger(v)) throw new Error(`protobuf: ${v} is not a safe integer for a varint.`);
    if (v < 0) {
      let n = BigInt(v) + (1n << 64n);
      for (let i = 0; i < 10; i++) {
        const b = Number(n & 0x7fn);
        n >>= 7n;
        this.pending.push(n !== 0n ? b | 0x80 : b);
        if (n === 0n) break;
      }
      return;
    }
    // Division, not bit shifts: JS shifts are 32-bit and int64 values may exceed 2^31.
    while (v >= 0x80) {
      this.pending.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.pending.push(v);
  }

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** An int32/int64/enum/bool field. */
  int(field: number, v: number): this {
    this.key(field, VARINT);
    this.varint(v);
    return this;
  }

  /** A 32-bit float field (little endian). */
  float(field: number, v: number): this {
    this.key(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.pending.push(...b);
    return this;
  }

  /** A bytes field; the array is referenced until `finish`, not copied. */
  bytes(field: number, b: Uint8Array): this {
    this.key(field, LEN);
    this.varint(b.length);
    if (b.length > 64) this.pushChunk(b);
    else this.pending.push(...b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** A nested message field, written by `build` into its own writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const sub = new ProtoWriter();
    build(sub);
    sub.flush();
    this.key(field, LEN);
    this.varint(sub.length);
    this.flush();
    for (const c of sub.chunks) this.chunks.push(c);
    this.flushedBytes += sub.flushedBytes;
    return this;
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.flushedBytes);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}
