// families/layernormF32.ts — manifest entries and typed wrappers for assembly/layernorm_f32/: layer
// normalization over the last axis (writing y, and mean and rstd per row for the backward) and its
// backward (dx written, dgamma and dbeta accumulated), with the semantics of autograd's
// ArrayBackend.layerNorm / layerNormGrad. Every MiT block has two, on C = 32…512 channels.
import { checkBufs } from '../checks.js';
import { expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const SUMMARY = {
  layernorm_f32: 'y = (x−μ)·rstd·γ + β per row, writes μ and rstd; Σx in f64, Σ(x−μ)² in blocked f32',
  layernorm_grad_f32: 'dx = rstd·(γdy − mean(γdy) − x̂·mean(γdy·x̂)); dgamma, dbeta accumulated',
};

export const layernormF32Kernels: KernelInfo[] = (Object.keys(SUMMARY) as (keyof typeof SUMMARY)[]).flatMap(
  (op) =>
    (['scalar', 'simd128'] as const).map((isa) => ({
      name: `${op}__${isa === 'simd128' ? 'simd' : 'scalar'}`,
      family: 'layernorm_f32',
      op,
      isa,
      summary: SUMMARY[op],
    })),
);

function shape(op: string, rows: number, cols: number) {
  expectInt(op, 'rows', rows, 0);
  expectInt(op, 'cols', cols, 0);
  const whyX = `rows·cols = ${rows}·${cols}`;
  return {
    mat: (name: string, buf: KBuf) => ({ name, buf, length: rows * cols, why: whyX }),
    row: (name: string, buf: KBuf) => ({ name, buf, length: rows, why: `rows = ${rows}` }),
    col: (name: string, buf: KBuf) => ({ name, buf, length: cols, why: `cols = ${cols}` }),
  };
}

/**
 * Per row of x [rows, cols]: μ = mean, ρ = 1/√(biased var + eps); y = (x − μ)·ρ·γ + β, mean[r] = μ,
 * rstd[r] = ρ. `eps` is passed to the kernel as f32. y, mean, rstd must not overlap anything.
 */
export function layerNormF32(
  k: Kernels,
  x: KBuf,
  gamma: KBuf,
  beta: KBuf,
  y: KBuf,
  mean: KBuf,
  rstd: KBuf,
  o: { rows: number; cols: number; eps: number; isa?: Isa },
): void {
  const op = 'layernorm_f32';
  const s = shape(op, o.rows, o.cols);
  if (!(o.eps >= 0) || !Number.isFinite(o.eps)) {
    throw new Error(`${op}: eps must be a finite number ≥ 0. Expected e.g. 1e-5 or 1e-6, got ${o.eps}.`);
  }
  checkBufs(
    op,
    [s.mat('x', x), s.col('gamma', gamma), s.col('beta', beta)],
    [s.mat('y', y), s.row('mean', mean), s.row('rstd', rstd)],
  );
  k.fn(k.pick(op, o.isa))(x.ptr, gamma.ptr, beta.ptr, y.ptr, mean.ptr, rstd.ptr, o.rows, o.cols, o.eps);
}

/**
 * The backward of layerNormF32 from its saved mean and rstd: dx (overwritten) =
 * ρ·(γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂)), dgamma += Σ_rows dy·x̂, dbeta += Σ_rows dy.
 */
export function layerNormGradF32(
  k: Kernels,
  x: KBuf,
  gamma: KBuf,
  mean: KBuf,
  rstd: KBuf,
  dy: KBuf,
  dx: KBuf,
  dgamma: KBuf,
  dbeta: KBuf,
  o: { rows: number; cols: number; isa?: Isa },
): void {
  const op = 'layernorm_grad_f32';
  const s = shape(op, o.rows, o.cols);
  checkBufs(
    op,
    [s.mat('x', x), s.col('gamma', gamma), s.row('mean', mean), s.row('rstd', rstd), s.mat('dy', dy)],
    [s.mat('dx', dx), s.col('dgamma', dgamma), s.col('dbeta', dbeta)],
  );
  k.fn(k.pick(op, o.isa))(
    x.ptr,
    gamma.ptr,
    mean.ptr,
    rstd.ptr,
    dy.ptr,
    dx.ptr,
    dgamma.ptr,
    dbeta.ptr,
    o.rows,
    o.cols,
  );
}
