// relaxed.test.ts — guards against the Node 20 Liftoff bug class (DESIGN.md §6): V8 11.3's baseline
// compiler computes i32x4.relaxed_dot_i8x16_i7x16_add_s as dot+dot instead of dot+c until the
// function tiers up, so a relaxed kernel can be wrong on its first calls and right afterwards. The
// loader compiles relaxed modules with --no-liftoff; these tests check, on the very first calls,
// (1) a probe of that instruction in the engine state the loader leaves, and (2) every relaxed kernel
// in the manifest against its simd128 twin on the same inputs.
import * as kernelsApi from '@edgeseg/kernels';
import { type Isa, type Kernels, loadKernelsSync, manifest } from '@edgeseg/kernels';
import { gemmF32Tolerance, Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';

function tryRelaxed(): Kernels | null {
  try {
    return loadKernelsSync({ isa: 'relaxed' });
  } catch {
    return null; // this engine cannot run relaxed SIMD at all
  }
}
// Load first: on Node 20 this is what sets the V8 flags (relaxed SIMD on, Liftoff off).
const relaxed = tryRelaxed();

/**
 * (module (memory (export "m") 1)
 *   (func (export "f") (param $a i32) (param $b i32) (param $c i32) (param $out i32)
 *     (v128.store (local.get $out) (i32x4.relaxed_dot_i8x16_i7x16_add_s
 *       (v128.load (local.get $a)) (v128.load (local.get $b)) (v128.load (local.get $c))))))
 */
const DOT_ADD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00,
  0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x09, 0x02, 0x01, 0x66, 0x00, 0x00, 0x01, 0x6d,
  0x02, 0x00, 0x0a, 0x1f, 0x01, 0x1d, 0x00, 0x20, 0x03, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x00, 0x20, 0x01, 0xfd,
  0x00, 0x04, 0x00, 0x20, 0x02, 0xfd, 0x00, 0x04, 0x00, 0xfd, 0x93, 0x02, 0xfd, 0x0b, 0x04, 0x00, 0x0b,
]);

describe('relaxed SIMD on this engine (Node 20 Liftoff bug class)', () => {
  it.skipIf(relaxed === null)('relaxed_dot_i8x16_i7x16_add_s is dot + c from the first call', () => {
    const { f, m } = new WebAssembly.Instance(new WebAssembly.Module(DOT_ADD_PROBE), {}).exports as {
      f: (a: number, b: number, c: number, out: number) => void;
      m: WebAssembly.Memory;
    };
    const a = new Int8Array(m.buffer, 0, 16);
    const b = new Int8Array(m.buffer, 16, 16); // second operand in [0, 127]: the deterministic case
    const c = new Int32Array(m.buffer, 32, 4);
    const out = new Int32Array(m.buffer, 48, 4);
    for (let i = 0; i < 16; i++) {
      a[i] = i * 7 - 50;
      b[i] = (i * 13) % 120;
    }
    c.set([1000, -2000, 3000, 7]);
    const want = [0, 1, 2, 3].map((l) => {
      let s = c[l];
      for (let j = 0; j < 4; j++) s += a[4 * l + j] * b[4 * l + j];
      return s;
    });
    f(0, 16, 32, 48); // first call: the one a baseline tier would run
    expect([...out], 'first call (Liftoff gives dot+dot here)').toEqual(want);
  });
});

// How to run one op's relaxed and simd128 variants on the same seeded inputs. The wrappers are
// looked up by name so that this file does not pin any family's API at compile time.
// biome-ignore lint/suspicious/noExplicitAny: typed wrappers are reached dynamically (see above).
type Api = Record<string, any>;
interface Runner {
  run(k: Kernels, isa: Isa, api: Api): Float32Array | Int32Array | Int8Array;
  /** Largest allowed |relaxed − simd128| (0 = bit-exact). */
  tolerance(simd: ArrayLike<number>): number;
}

const RUNNERS: Record<string, Runner> = {
  gemm_f32: {
    run(k, isa, api) {
      const [m, n, kk] = [13, 37, 61];
      const rng = new Rng(2024);
      const a = k.from('f32', rng.f32Array(m * kk));
      const b = k.from('f32', rng.f32Array(kk * n));
      const c = k.alloc('f32', m * n).fill(Number.NaN);
      api.gemmF32(k, { m, n, k: kk, a, b, c, isa });
      const out = c.toArray();
      for (const x of [a, b, c]) x.release();
      return out;
    },
    // relaxed madd may fuse (one rounding instead of two): the f32 GEMM tolerance covers that.
    tolerance: (simd) => gemmF32Tolerance(Math.max(...Array.from(simd, Math.abs)), 61),
  },
  softmax_f32: rowRunner('softmaxF32'),
  log_softmax_f32: rowRunner('logSoftmaxF32'),
  exp_minus_max_f32: {
    run(k, isa, api) {
      const x = k.from('f32', new Rng(7).f32Array(203, -40, 0));
      const y = k.alloc('f32', 203).fill(Number.NaN);
      const sum = api.expMinusMaxF32(k, x, y, 0, { isa });
      const out = Float32Array.from([...y.toArray(), sum / 203]);
      for (const b of [x, y]) b.release();
      return out;
    },
    // e^t ≤ 1 (and the mean of them): a fused exp differs by rounding, within 2e-7 relative each.
    tolerance: () => 1e-6,
  },
};

/**
 * Softmax / log-softmax rows whose width leaves a partial vector (37), with spread logits: the relaxed
 * variants differ from simd128 only by the rounding of their fused exp (≤ 2e-7 relative per e^t).
 */
function rowRunner(wrapper: string): Runner {
  return {
    run(k, isa, api) {
      const [rows, cols] = [5, 37];
      const x = k.from('f32', new Rng(11).f32Array(rows * cols, -8, 8));
      const y = k.alloc('f32', rows * cols).fill(Number.NaN);
      api[wrapper](k, x, y, { rows, cols, isa });
      const out = y.toArray();
      for (const b of [x, y]) b.release();
      return out;
    },
    tolerance: (simd) => 1e-6 * Math.max(1, ...Array.from(simd, Math.abs)),
  };
}

const relaxedOps = [...new Set(manifest.filter((k) => k.isa === 'relaxed').map((k) => k.op))];

describe('relaxed kernels against their simd128 twins, from the first call', () => {
  it.skipIf(relaxed === null || relaxedOps.length === 0)(
    'every relaxed op matches simd128 on the same inputs',
    () => {
      const simd = loadKernelsSync({ isa: 'simd128' });
      for (const op of relaxedOps) {
        const runner = RUNNERS[op];
        if (!runner) {
          throw new Error(
            `relaxed op ${op}: no differential runner. Expected an entry in RUNNERS (tools/wasm-contract/src/relaxed.test.ts) ` +
              'that runs it with isa "relaxed" and "simd128" on the same inputs.',
          );
        }
        const got = runner.run(relaxed!, 'relaxed', kernelsApi);
        const want = runner.run(simd, 'simd128', kernelsApi);
        const tol = runner.tolerance(want);
        for (let i = 0; i < want.length; i++) {
          if (!(Math.abs(got[i] - want[i]) <= tol)) {
            throw new Error(
              `at ${i}: simd128=${want[i]}, relaxed=${got[i]}, op=${op}, tolerance=${tol} (first calls of the relaxed build)`,
            );
          }
        }
      }
    },
  );
});
