import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';
import { bestOfCeilings, CEILING_VARIANTS, type Ceiling, ceilingModule } from './ceiling.js';
import { matMulIntegerModel, matMulModel, softmaxModel } from './peers/onnxModel.js';
import { ortSession } from './peers/ort.js';
import { addRatios, formatTable, type Row } from './report.js';
import { formatShapesFile, parseShapesFile, SEGFORMER_B0, segformerGemmShapes } from './segformerShapes.js';

describe('shapes', () => {
  it('the committed SegFormer-B0 shapes file is what the config generates', () => {
    const file = new URL('../shapes/segformer-b0-512x1024.txt', import.meta.url);
    const want = formatShapesFile(
      segformerGemmShapes(SEGFORMER_B0, 512, 1024),
      'SegFormer-B0 GEMMs at 512x1024',
    );
    expect(readFileSync(file, 'utf8')).toBe(want);
  });

  it('has the stage-1 attention and FFN GEMMs of B0 at 512×1024', () => {
    const shapes = segformerGemmShapes(SEGFORMER_B0, 512, 1024);
    const find = (name: string) => shapes.find((s) => s.name.startsWith(name));
    expect(find('s1.attn.q')).toMatchObject({ m: 32768, n: 32, k: 32 }); // 128×256 tokens, C=32
    expect(find('s1.attn.kv')).toMatchObject({ m: 512, n: 64, k: 32 }); // sr 8 → 16×32 keys
    expect(find('s1.attn.qk^T')).toMatchObject({ m: 32768, n: 512, k: 32 });
    expect(find('s4.ffn.fc1')).toMatchObject({ m: 512, n: 1024, k: 256 });
    expect(find('decoder.linear_fuse')).toMatchObject({ m: 32768, n: 256, k: 1024 });
  });

  it('rejects a malformed shapes line with the file and line number', () => {
    expect(() => parseShapesFile('# c\n512 512 x\n', 'my.txt')).toThrow(
      /my.txt:2: expected "M N K \[name\]"/,
    );
  });
});

describe('ceiling modules', () => {
  it('are valid WebAssembly that V8 compiles and runs, in every variant', () => {
    for (const kind of ['i8dot', 'f32muladd'] as const) {
      for (const v of CEILING_VARIANTS[kind]) {
        const bytes = ceilingModule(kind, v.chains, v.form);
        expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
        const f = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource)).exports.f as (
          n: number,
        ) => number;
        expect(Number.isFinite(f(10))).toBe(true);
      }
    }
  });

  it('keeps the better figure of two measurements, variant by variant', () => {
    const at = (g: number[]): Ceiling => ({
      kind: 'i8dot',
      opsPerSecond: Math.max(...g) * 1e9,
      gops: Math.max(...g),
      variant: '',
      variants: g.map((gops, i) => ({ name: `v${i}`, gops })),
    });
    const c = bestOfCeilings(at([70, 90, 50]), at([80, 60, 55]));
    expect(c.variants.map((v) => v.gops)).toEqual([80, 90, 55]);
    expect(c).toMatchObject({ gops: 90, variant: 'v1' });
  });
});

describe('ONNX peer models', () => {
  it('onnxruntime-web runs our MatMulInteger, MatMul and Softmax models with the right results', async () => {
    const m = 3;
    const n = 5;
    const k = 7;
    const b = Int8Array.from({ length: k * n }, (_, i) => ((i * 37) % 255) - 127);
    const a = Uint8Array.from({ length: m * k }, (_, i) => (i * 53) % 256);
    const s = await ortSession('ort-web', matMulIntegerModel(m, n, k, b, 128, 'uint8'), [
      { name: 'A', type: 'uint8', data: a, dims: [m, k] },
    ]);
    expect(s).not.toBeNull();
    const y = (await s!.run()) as Int32Array;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += (a[i * k + p] - 128) * b[p * n + j];
        expect(y[i * n + j]).toBe(acc);
      }
    }
    await s!.release();

    const bf = Float32Array.from(b);
    const af = Float32Array.from(a);
    const sf = await ortSession('ort-web', matMulModel(m, n, k, bf), [
      { name: 'A', type: 'float32', data: af, dims: [m, k] },
    ]);
    const yf = (await sf!.run()) as Float32Array;
    expect(yf[0]).toBeCloseTo(
      [...Array(k).keys()].reduce((acc, p) => acc + af[p] * bf[p * n], 0),
      2,
    );
    await sf!.release();

    const x = Float32Array.from([1, 2, 3, 0, 0, 0]);
    const ss = await ortSession('ort-web', softmaxModel(2, 3), [
      { name: 'X', type: 'float32', data: x, dims: [2, 3] },
    ]);
    const ys = (await ss!.run()) as Float32Array;
    expect(ys[3]).toBeCloseTo(1 / 3, 6);
    expect(ys[2]).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
    await ss!.release();
  });
});

describe('report', () => {
  const row = (impl: string, shape: string, gops: number, extra: Partial<Row> = {}): Row => ({
    family: 'gemm_i8',
    impl,
    shape,
    median_s: 1,
    gops,
    unit: 'GOPS',
    ratio_vs: {},
    ...extra,
  });

  it('computes ratios against peers on the same shape, the best WASM peer and the ceiling', () => {
    const rows: Row[] = [
      row('ours-simd128', 'a', 80),
      row('ort-web', 'a', 40),
      row('tfjs', 'a', 50),
      row('ort-node', 'a', 400),
      row('ort-web', 'b', 10),
    ];
    addRatios(rows, (r) => r.impl.startsWith('ours'), ['ort-web', 'ort-node', 'tfjs'], { gemm_i8: 100 });
    expect(rows[0].ratio_vs).toEqual({
      'ort-web': 2,
      tfjs: 1.6,
      'ort-node': 0.2,
      'best-wasm': 1.6,
      ceiling: 0.8,
    });
    expect(formatTable(rows)).toMatch(/ours-simd128/);
  });

  it('leaves a peer with a wrong result out of the ratios, keeps a ceiling measured with the row', () => {
    const rows: Row[] = [
      row('ours-simd128', 'a', 80, { ratio_vs: { ceiling: 0.9 } }),
      row('ort-web', 'a', 400, { wrong: 'at (0, 0): reference=1, optimized=2' }),
    ];
    addRatios(rows, (r) => r.impl.startsWith('ours'), ['ort-web'], { gemm_i8: 100 });
    expect(rows[0].ratio_vs).toEqual({ ceiling: 0.9 });
    expect(formatTable(rows)).toMatch(/WRONG: at \(0, 0\)/);
  });
});

describe('arguments', () => {
  it('parses options and rejects unknown ones as usage errors', () => {
    expect(parseArgs(['--family', 'gemm_i8', '--json', '--quick'])).toMatchObject({
      families: ['gemm_i8'],
      json: true,
      quick: true,
      minTime: 0.05,
    });
    expect(() => parseArgs(['--family', 'gemm_x'])).toThrow(UsageError);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option "--bogus"/);
    expect(() => parseArgs(['--shapes'])).toThrow(/a value is missing/);
  });
});
