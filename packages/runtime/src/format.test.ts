import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors } from '@edgeseg/safetensors';
import { describe, expect, it } from 'vitest';
import { decodeEdgeseg, encodeEdgeseg, expectedTensors } from './format.js';
import { readEdgeseg, writeEdgeseg } from './formatFile.js';
import { randomModelFile } from './randomModel.js';
import { tinyArch } from './testkit/tinyArch.js';

const arch = tinyArch();

/** Re-encode a valid model's tensors and metadata with one thing changed. */
function mutated(
  f: (
    t: Map<string, { dtype: string; shape: number[]; data: ArrayBufferView }>,
    md: Record<string, string>,
  ) => void,
): Uint8Array {
  const good = encodeEdgeseg(randomModelFile(arch, 'int8'));
  const d = decodeEdgeseg(good, 'x');
  const tensors = new Map([...d.tensors].map(([k, v]) => [k, { ...v }]));
  const md: Record<string, string> = {
    format: 'edgeseg/1',
    arch: JSON.stringify(d.meta.arch),
    precision: d.meta.precision,
    quant: JSON.stringify(d.meta.quant),
    classes: JSON.stringify(d.meta.classes),
    palette: JSON.stringify(d.meta.palette),
    input: JSON.stringify(d.meta.input),
    provenance: JSON.stringify(d.meta.provenance),
  };
  f(tensors as never, md);
  return encodeSafetensors(tensors as never, md);
}

describe('.edgeseg format', () => {
  it('makes a loadable random model from a training-side arch (decoder BatchNorm flag unset)', () => {
    // The full preset benchmarks a random SegFormer-B5 built from models' archFor, which leaves
    // bnFolded unset; the reader refuses unfolded decoders, so randomModelFile must mark its own.
    const unfolded = { ...arch, decoder: { ...arch.decoder, bnFolded: undefined } };
    for (const p of ['int8', 'fp32'] as const) {
      const d = decodeEdgeseg(encodeEdgeseg(randomModelFile(unfolded, p)), 'random.edgeseg');
      expect(d.meta.arch.decoder.bnFolded).toBe(true);
    }
  });

  it('round-trips write → read byte-identically, int8 and fp32', () => {
    const dir = mkdtempSync(join(tmpdir(), 'es-'));
    for (const p of ['int8', 'fp32'] as const) {
      const f = randomModelFile(arch, p);
      const bytes = encodeEdgeseg(f);
      writeEdgeseg(join(dir, `${p}.edgeseg`), f);
      const back = readEdgeseg(join(dir, `${p}.edgeseg`));
      expect(encodeEdgeseg(back)).toEqual(bytes);
      expect(back.meta.arch).toEqual(arch);
      expect(back.tensors.size).toBe(expectedTensors(arch, p).size);
    }
    expect(readdirSync(dir).sort()).toEqual(['fp32.edgeseg', 'int8.edgeseg']);
  });

  it.each([
    [
      'another format',
      (_t: never, md: Record<string, string>) => (md.format = 'pt'),
      /not an edgeseg model. Expected metadata format "edgeseg\/1", got "pt"/,
    ],
    [
      'arch not JSON',
      (_t: never, md: Record<string, string>) => (md.arch = '{'),
      /metadata "arch" is not valid JSON/,
    ],
    [
      'arch nonsense',
      (_t: never, md: Record<string, string>) => (md.arch = '{"kind":"segformer","config":{},"blocks":[]}'),
      /architecture must have 4 stages/,
    ],
    ['precision', (_t: never, md: Record<string, string>) => (md.precision = 'int4'), /precision is "int4"/],
    [
      'quant scale',
      (_t: never, md: Record<string, string>) =>
        (md.quant = md.quant.replace(/"scale":[0-9.]+/, '"scale":-1')),
      /quant\["stages.0.embed.proj"\]/,
    ],
    [
      'classes',
      (_t: never, md: Record<string, string>) => (md.classes = '["a"]'),
      /"classes" must list 19 names/,
    ],
    [
      'palette',
      (_t: never, md: Record<string, string>) => (md.palette = md.palette.replace('128', '300')),
      /"palette" must give 19 RGB triples/,
    ],
    ['input', (_t: never, md: Record<string, string>) => (md.input = '{"height":5}'), /"input" must be/],
    [
      'missing tensor',
      (t: Map<string, unknown>) => t.delete('head.cls.bias'),
      /tensor "head.cls.bias" is missing \(I32\[19\] expected/,
    ],
    [
      'extra tensor',
      (t: Map<string, unknown>) =>
        t.set('stages.0.blocks.0.attn.q.weight', { dtype: 'I8', shape: [1], data: new Int8Array(1) }),
      /"stages.0.blocks.0.attn.q.weight" is not part of this architecture/,
    ],
    [
      'wrong dtype',
      (t: Map<string, { dtype: string; shape: number[]; data: ArrayBufferView }>) => {
        const w = t.get('head.cls.weight')!;
        t.set('head.cls.weight', { dtype: 'U8', shape: w.shape, data: new Uint8Array(w.data.byteLength) });
      },
      /"head.cls.weight" is U8\[19,48\]. Expected I8\[19,48\]/,
    ],
    [
      'asymmetric weight',
      (t: Map<string, { dtype: string; shape: number[]; data: ArrayBufferView }>) => {
        (t.get('head.cls.weight')!.data as Int8Array)[0] = -128;
      },
      /holds −128/,
    ],
  ])('rejects %s with a clear message naming the file', (_n, f, want) => {
    const bytes = mutated(f as never);
    expect(() => decodeEdgeseg(bytes, 'model.edgeseg')).toThrow(want);
    expect(() => decodeEdgeseg(bytes, 'model.edgeseg')).toThrow(/^file: model.edgeseg: /);
  });

  it('rejects truncated files and absurd header lengths without allocating', () => {
    const good = encodeEdgeseg(randomModelFile(arch, 'int8'));
    expect(() => decodeEdgeseg(good.subarray(0, 100), 'm.edgeseg')).toThrow(/file: m.edgeseg: .*at byte/);
    const absurd = good.slice();
    new DataView(absurd.buffer).setBigUint64(0, 2n ** 50n, true);
    expect(() => decodeEdgeseg(absurd, 'm.edgeseg')).toThrow(/exceeds the 100000000-byte limit/);
    expect(() => readEdgeseg('/nonexistent/m.edgeseg')).toThrow(/cannot be read \(ENOENT\)/);
  });
});
