// safetensors.ts — the safetensors container (huggingface/safetensors): u64 LE header length N,
// N bytes of UTF-8 JSON ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}),
// then the raw little-endian data. Files are untrusted input: every size and offset is checked
// against the file length and against each other before anything is allocated, as the reference
// reader (tensor.rs) does, and each error names the file, what is wrong and the byte offset.

export type DType =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'I16'
  | 'U16'
  | 'F16'
  | 'BF16'
  | 'I32'
  | 'U32'
  | 'F32'
  | 'F64'
  | 'I64'
  | 'U64';

export const DTYPE_SIZE: Record<DType, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

export type TensorData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface StTensor {
  dtype: DType;
  shape: number[];
  data: TensorData;
}

/** The reference reader's limit on the JSON header (MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

export class SafetensorsError extends Error {
  constructor(
    readonly file: string,
    what: string,
    readonly byte: number,
  ) {
    super(`file: ${file}: ${what}, at byte ${byte}`);
    this.name = 'SafetensorsError';
  }
}

function typedView(dtype: DType, buf: ArrayBuffer, byteOffset: number, length: number): TensorData {
  switch (dtype) {
    case 'BOOL':
    case 'U8':
      return new Uint8Array(buf, byteOffset, length);
    case 'I8':
      return new Int8Array(buf, byteOffset, length);
    case 'I16':
      return new Int16Array(buf, byteOffset, length);
    case 'U16':
    case 'F16':
    case 'BF16':
      return new Uint16Array(buf, byteOffset, length);
    case 'I32':
      return new Int32Array(buf, byteOffset, length);
    case 'U32':
      return new Uint32Array(buf, byteOffset, length);
    case 'F32':
      return new Float32Array(buf, byteOffset, length);
    case 'F64':
      return new Float64Array(buf, byteOffset, length);
    case 'I64':
      return new BigInt64Array(buf, byteOffset, length);
    case 'U64':
      return new BigUint64Array(buf, byteOffset, length);
  }
}

export interface Decoded {
  metadata: Record<string, string>;
  tensors: Map<string, StTensor>;
  /** Byte offset of the data section (8 + header length). */
  dataStart: number;
}

/**
 * Parse and validate a safetensors buffer. Tensor data are views into `bytes` when aligned for their
 * dtype (files from the reference writer always are), copies otherwise.
 */
export function decodeSafetensors(bytes: Uint8Array, file = '<buffer>'): Decoded {
  const fail = (what: string, at: number): never => {
    throw new SafetensorsError(file, what, at);
  };
  if (bytes.length < 8)
    fail(`too short for a safetensors header (${bytes.length} bytes, expected at least 8)`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES))
    fail(`header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit`, 0);
  const n = Number(n64);
  if (8 + n > bytes.length)
    fail(`header length ${n} runs past the end of the file (${bytes.length} bytes)`, 0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('header is not valid UTF-8', 8);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not JSON (${(e as Error).message})`, 8);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header is not a JSON object', 8);
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        fail('__metadata__ is not an object', 8);
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`, 8);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof info !== 'object' || info === null) fail(`tensor "${name}" is not an object`, 8);
    const dtype = info.dtype as DType;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_SIZE))
      fail(`tensor "${name}" has unknown dtype ${JSON.stringify(info.dtype)}`, 8);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      fail(`tensor "${name}" has a bad shape ${JSON.stringify(shape)}; expected non-negative integers`, 8);
    }
    const off = info.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || off.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      fail(`tensor "${name}" has bad data_offsets ${JSON.stringify(off)}`, 8);
    }
    const [begin, end] = off as [number, number];
    if (end < begin) fail(`tensor "${name}" ends (${end}) before it begins (${begin})`, dataStart + begin);
    if (end > dataLen)
      fail(`tensor "${name}" ends at ${end}, past the ${dataLen}-byte data section`, dataStart + begin);
    // Compare the element count through the byte length so absurd shapes cannot overflow.
    let count = 1;
    for (const d of shape as number[]) {
      count *= d;
      if (count * DTYPE_SIZE[dtype] > dataLen) {
        fail(
          `tensor "${name}" shape ${JSON.stringify(shape)} needs more bytes than the file has`,
          dataStart + begin,
        );
      }
    }
    if (end - begin !== count * DTYPE_SIZE[dtype]) {
      fail(
        `tensor "${name}" has ${end - begin} bytes but ${dtype}${JSON.stringify(shape)} needs ${count * DTYPE_SIZE[dtype]}`,
        dataStart + begin,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // Contiguous from 0, no gaps, no overlaps, ending exactly at the end of the file.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of entries) {
    if (e.begin !== pos) {
      fail(
        e.begin < pos ? `tensor "${e.name}" overlaps the previous tensor` : `gap before tensor "${e.name}"`,
        dataStart + e.begin,
      );
    }
    pos = e.end;
  }
  if (pos !== dataLen)
    fail(`data section has ${dataLen} bytes but the tensors cover ${pos}`, dataStart + pos);
  const tensors = new Map<string, StTensor>();
  for (const e of entries) {
    const size = DTYPE_SIZE[e.dtype];
    const at = bytes.byteOffset + dataStart + e.begin;
    const count = (e.end - e.begin) / size;
    const data =
      at % size === 0
        ? typedView(e.dtype, bytes.buffer as ArrayBuffer, at, count)
        : typedView(e.dtype, bytes.slice(dataStart + e.begin, dataStart + e.end).buffer, 0, count);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { metadata, tensors, dataStart };
}

/**
 * Serialize like the reference writer: tensors sorted by descending dtype alignment then name,
 * the JSON header padded with spaces to a multiple of 8 so every tensor is aligned.
 */
export function encodeSafetensors(
  tensors: Record<string, StTensor> | Map<string, StTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const list = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))];
  for (const [name, t] of list) {
    const count = t.shape.reduce((p, d) => p * d, 1);
    if (t.data.length !== count) {
      throw new Error(
        `encodeSafetensors: tensor "${name}" has ${t.data.length} values for shape [${t.shape}] (${count}).`,
      );
    }
  }
  list.sort(
    ([na, a], [nb, b]) => DTYPE_SIZE[b.dtype] - DTYPE_SIZE[a.dtype] || (na < nb ? -1 : na > nb ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let off = 0;
  for (const [name, t] of list) {
    const bytes = t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const [, t] of list) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}
