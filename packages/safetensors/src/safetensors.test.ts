import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensorsFile, writeSafetensorsFile } from './atomicFile.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** A file with a hand-written header (no padding rules applied) and `data` bytes after it. */
function raw(header: string, data: number[] | Uint8Array = [], headerLen?: number): Uint8Array {
  const h = enc(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('encode', () => {
  it('matches the reference test vector (tensor.rs test_serialization)', () => {
    const bytes = encodeSafetensors({
      'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5]) },
    });
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    const padded = Math.ceil(json.length / 8) * 8;
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true))).toBe(padded);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + padded))).toBe(json.padEnd(padded, ' '));
    expect([...new Float32Array(bytes.buffer, 8 + padded, 6)]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('writes metadata-only files as the reference does (40 bytes of header)', () => {
    const bytes = encodeSafetensors({}, { framework: 'pt' });
    expect([...bytes.subarray(0, 8)]).toEqual([40, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  it('round-trips byte-identically and aligns every tensor', () => {
    const tensors = {
      w: { dtype: 'I8' as const, shape: [3, 5], data: Int8Array.from({ length: 15 }, (_, i) => i - 7) },
      b: { dtype: 'I32' as const, shape: [5], data: Int32Array.from([1, -2, 3, -4, 5]) },
      s: { dtype: 'F32' as const, shape: [], data: Float32Array.from([0.25]) },
      e: { dtype: 'F64' as const, shape: [0], data: new Float64Array(0) },
    };
    const a = encodeSafetensors(tensors, { format: 'edgeseg/1' });
    const d = decodeSafetensors(a);
    expect(d.metadata).toEqual({ format: 'edgeseg/1' });
    expect([...(d.tensors.get('w')!.data as Int8Array)]).toEqual([...tensors.w.data]);
    expect([...(d.tensors.get('b')!.data as Int32Array)]).toEqual([1, -2, 3, -4, 5]);
    expect(d.tensors.get('s')!.shape).toEqual([]);
    const again = encodeSafetensors(Object.fromEntries(d.tensors), d.metadata);
    expect(again).toEqual(a);
  });
});

describe('decode rejects bad files with a clear error and no big allocation', () => {
  const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const cases: [string, Uint8Array, RegExp][] = [
    ['truncated before the header length', new Uint8Array(5), /too short/],
    [
      'header length past the end',
      raw(good, new Array(8).fill(0), 1000),
      /header length 1000 runs past the end/,
    ],
    ['absurd header length', raw(good, [], 2 ** 40), /exceeds the 100000000-byte limit/],
    [
      'non-UTF-8 header',
      raw('{"a\xff":1}'.replace('\xff', ''), []).map((b, i) => (i === 10 ? 0xff : b)),
      /not valid UTF-8/,
    ],
    ['non-JSON header', raw('{"a":', []), /not JSON/],
    [
      'tensor past the data section',
      raw('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', new Array(8).fill(0)),
      /past the 8-byte data section/,
    ],
    [
      'shape/bytes mismatch',
      raw('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}', new Array(8).fill(0)),
      /has 8 bytes but F32\[1\] needs 4/,
    ],
    [
      'absurd shape',
      raw('{"a":{"dtype":"F32","shape":[100000,100000,100000],"data_offsets":[0,8]}}', new Array(8).fill(0)),
      /needs more bytes than the file has/,
    ],
    [
      'overlapping tensors',
      raw(
        '{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}',
        new Array(6).fill(0),
      ),
      /overlaps/,
    ],
    [
      'a gap',
      raw('{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}', new Array(4).fill(0)),
      /gap before tensor "a"/,
    ],
    ['trailing bytes', raw(good, new Array(12).fill(0)), /data section has 12 bytes but the tensors cover 8/],
    [
      'unknown dtype',
      raw('{"a":{"dtype":"F7","shape":[2],"data_offsets":[0,8]}}', new Array(8).fill(0)),
      /unknown dtype "F7"/,
    ],
    [
      'negative offsets',
      raw('{"a":{"dtype":"U8","shape":[2],"data_offsets":[-2,0]}}', []),
      /bad data_offsets/,
    ],
    ['non-string metadata', raw('{"__metadata__":{"k":1}}', []), /__metadata__.k is not a string/],
  ];
  it.each(cases)('%s', (_name, bytes, want) => {
    expect(() => decodeSafetensors(bytes, 'model.edgeseg')).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes, 'model.edgeseg')).toThrow(want);
    expect(() => decodeSafetensors(bytes, 'model.edgeseg')).toThrow(/^file: model.edgeseg: .*, at byte \d+$/);
  });
});

describe('files', () => {
  it('writes atomically (no temp file left) and reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const path = join(dir, 'ckpt.safetensors');
    writeSafetensorsFile(
      path,
      { x: { dtype: 'F32', shape: [2], data: Float32Array.from([1, 2]) } },
      { step: '3' },
    );
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);
    const d = readSafetensorsFile(path);
    expect(d.metadata.step).toBe('3');
    expect(readFileSync(path).length).toBeGreaterThan(8);
    expect(() => readSafetensorsFile(join(dir, 'missing.safetensors'))).toThrow(
      /missing.safetensors: cannot be read \(ENOENT\)/,
    );
  });
});
