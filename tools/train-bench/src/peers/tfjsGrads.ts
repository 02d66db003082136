// tfjsGrads.ts — the gradients @tensorflow/tfjs-backend-wasm 4.22 cannot run, added the way a user would:
// `tf.registerGradient` configs that express them with ops the wasm backend does have.
//
// Found by running (probeMissingGradients below does it again on every benchmark run): tfjs-core's gradient
// of Conv2D calls the Conv2DBackpropFilter kernel and the gradient of DepthwiseConv2dNative calls
// DepthwiseConv2dNativeBackpropInput and DepthwiseConv2dNativeBackpropFilter; none of the three is
// registered for 'wasm' ("Kernel 'X' not registered for backend 'wasm'"). Conv2DBackpropInput is there
// (XNNPACK deconvolution) and is kept. Every other gradient a SegFormer training step needs (matMul,
// softmax, logSoftmax, erf, resizeBilinear, moments, concat, transpose, pad, …) runs.
//
// A second, optional override routes matmul gradients through XNNPACK: the wasm BatchMatMul takes
// XNNPACK's fully-connected path only when neither operand is transposed and both batch dimensions are 1;
// anything else (tfjs-core's own matMul gradient, which is two transposed matmuls; every batched
// attention matmul) runs `slow_batch_matmul`, a blocked scalar triple loop. `routeMatmulsToXnnpack`
// re-registers the BatchMatMul gradient with materialized transposes so both backward products of every
// 2-D matmul (all Linear layers) hit XNNPACK. The workarounds' own matmuls always use that form.
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import type { Tf, TfTensor } from './tfjs.js';

type T4 = ReturnType<Tf['zeros']> & { shape: number[] };

/** Symmetric padding [top/bottom, left/right] of a conv from its 'same' / 'valid' / number attr. */
function padOf(pad: unknown, k: [number, number], strides: [number, number], what: string): [number, number] {
  if (typeof pad === 'number') return [pad, pad];
  if (pad === 'valid') return [0, 0];
  if (pad === 'same' && strides[0] === 1 && strides[1] === 1 && k[0] % 2 === 1 && k[1] % 2 === 1)
    return [(k[0] - 1) / 2, (k[1] - 1) / 2];
  throw new Error(
    `${what}: padding ${JSON.stringify(pad)} with strides ${strides} is not handled by this workaround.`,
  );
}

const pair = (v: unknown): [number, number] =>
  Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number];

/**
 * Conv2D (NHWC, filter [kh, kw, Cin, Cout], dilation 1).
 * x: the wasm backend's own Conv2DBackpropInput (via conv2dTranspose), which it has.
 * filter (Conv2DBackpropFilter is missing): im2col + one XNNPACK matmul, dW = colsᵀ · dy with
 *   cols [B·Ho·Wo, kh·kw·Cin]. When k = stride and pad = 0 (the sr conv k = s = R of efficient attention)
 *   the patches do not overlap and im2col is a pure reshape → transpose → reshape. Otherwise (the
 *   overlapping patch embeds k7/s4/p3 and k3/s2/p1) it pads x and concatenates the kh·kw strided slices
 *   x_pad[:, i::s, j::s, :] along channels, in the filter's (kh, kw, Cin) order.
 */
function conv2dGrad(tf: Tf): GradConfig {
  return {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy: TfTensor | TfTensor[], saved: TfTensor[], attrs: NamedAttrMap) => {
      const [x, filter] = saved as [T4, T4];
      const g = dy as T4;
      const strides = pair(attrs.strides);
      const dil = pair(attrs.dilations ?? 1);
      if (dil[0] !== 1 || dil[1] !== 1) throw new Error('Conv2D gradient workaround: dilation must be 1.');
      if (attrs.dataFormat && attrs.dataFormat !== 'NHWC')
        throw new Error('Conv2D gradient workaround: NHWC only.');
      const [kh, kw, cin, cout] = filter.shape;
      const [b, h, w] = x.shape;
      const [, ho, wo] = g.shape;
      const [ph, pw] = padOf(attrs.pad, [kh, kw], strides, 'Conv2D gradient workaround');
      return {
        x: () =>
          // biome-ignore lint/suspicious/noExplicitAny: tfjs's pad union type; the attr is passed through as is.
          tf.conv2dTranspose(g as any, filter as any, [b, h, w, cin], strides, attrs.pad as any),
        filter: () => {
          let cols: TfTensor;
          if (
            kh === strides[0] &&
            kw === strides[1] &&
            ph === 0 &&
            pw === 0 &&
            ho * kh === h &&
            wo * kw === w
          ) {
            cols = tf.reshape(tf.transpose(tf.reshape(x, [b, ho, kh, wo, kw, cin]), [0, 1, 3, 2, 4, 5]), [
              b * ho * wo,
              kh * kw * cin,
            ]);
          } else {
            const xp = tf.pad(x, [
              [0, 0],
              [ph, ph],
              [pw, pw],
              [0, 0],
            ]);
            const taps: TfTensor[] = [];
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                taps.push(
                  tf.stridedSlice(
                    xp,
                    [0, i, j, 0],
                    [b, i + (ho - 1) * strides[0] + 1, j + (wo - 1) * strides[1] + 1, cin],
                    [1, strides[0], strides[1], 1],
                  ),
                );
              }
            }
            cols = tf.reshape(tf.concat(taps, 3), [b * ho * wo, kh * kw * cin]);
          }
          // colsᵀ materialized: a transposeA matmul would run the scalar loop, this one runs XNNPACK.
          return tf.reshape(tf.matMul(tf.transpose(cols), tf.reshape(g, [b * ho * wo, cout])), [
            kh,
            kw,
            cin,
            cout,
          ]);
        },
      };
    },
  };
}

/**
 * DepthwiseConv2dNative (NHWC, filter [kh, kw, C, 1], stride 1, dilation 1 — the Mix-FFN 3×3 dwconv).
 * x (DepthwiseConv2dNativeBackpropInput is missing): a stride-1 depthwise conv is a correlation, so its
 *   input gradient is the depthwise conv of dy with the filter rotated by 180° and padding k−1−p — the
 *   wasm backend's own (XNNPACK) forward depthwise kernel.
 * filter (DepthwiseConv2dNativeBackpropFilter is missing): kh·kw shifted multiplies,
 *   dW[i, j, c] = Σ_{b,y,x} x_pad[b, y+i, x+j, c] · dy[b, y, x, c]. The shift x_pad[:, i:i+H, j:j+W] is a
 *   depthwise conv of x with a one-hot filter (XNNPACK, same padding as the forward) and the sum over
 *   b, y, x is ones[1, B·H·W] · (shift ⊙ dy) (an XNNPACK matmul). Not tf.slice, which on the wasm backend
 *   copies the whole input out of the heap in JS on every call (≈ 40 ms per tap at B0 stage 1, batch 8),
 *   nor tf.sum over axes 0–2, which transposes first.
 */
function depthwiseGrad(tf: Tf): GradConfig {
  return {
    kernelName: 'DepthwiseConv2dNative',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy: TfTensor | TfTensor[], saved: TfTensor[], attrs: NamedAttrMap) => {
      const [x, filter] = saved as [T4, T4];
      const g = dy as T4;
      const strides = pair(attrs.strides);
      const dil = pair(attrs.dilations ?? 1);
      if (strides[0] !== 1 || strides[1] !== 1 || dil[0] !== 1 || dil[1] !== 1)
        throw new Error('DepthwiseConv2dNative gradient workaround: stride 1 and dilation 1 only.');
      const [kh, kw, c, mult] = filter.shape;
      if (mult !== 1)
        throw new Error('DepthwiseConv2dNative gradient workaround: channel multiplier 1 only.');
      const [b, h, w] = x.shape;
      const [ph, pw] = padOf(attrs.pad, [kh, kw], strides, 'DepthwiseConv2dNative gradient workaround');
      return {
        x: () => {
          const rotated = tf.reverse(filter, [0, 1]) as T4;
          const dyp = tf.pad(g, [
            [0, 0],
            [kh - 1 - ph, kh - 1 - ph],
            [kw - 1 - pw, kw - 1 - pw],
            [0, 0],
          ]) as T4;
          // biome-ignore lint/suspicious/noExplicitAny: rank-4 tensors typed loosely.
          return tf.depthwiseConv2d(dyp as any, rotated as any, 1, 'valid');
        },
        filter: () => {
          const ones = tf.ones([1, b * h * w]);
          const taps: TfTensor[] = [];
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const oneHot = new Float32Array(kh * kw * c);
              oneHot.fill(1, (i * kw + j) * c, (i * kw + j + 1) * c);
              const shifted = tf.depthwiseConv2d(
                x as never,
                tf.tensor(oneHot, [kh, kw, c, 1]) as never,
                1,
                attrs.pad as never,
              );
              taps.push(tf.matMul(ones, tf.reshape(tf.mul(shifted, g), [b * h * w, c])));
            }
          }
          return tf.reshape(tf.stack(taps), [kh, kw, c, 1]);
        },
      };
    },
  };
}

/**
 * BatchMatMul with every backward product on XNNPACK: for a non-transposed product of 2-D operands (or
 * rank 3 with batch 1), dA = dy · bᵀ and dB = aᵀ · dy with the transposes materialized by tf.transpose,
 * so neither call sets a transpose flag. Other shapes keep tfjs's gradient.
 */
function batchMatMulXnnGrad(tf: Tf, original: GradConfig): GradConfig {
  return {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy: TfTensor | TfTensor[], saved: TfTensor[], attrs: NamedAttrMap) => {
      const [a, b] = saved as [T4, T4];
      const batch1 = (t: T4) => t.rank === 2 || (t.rank === 3 && t.shape[0] === 1);
      if (attrs.transposeA || attrs.transposeB || a.rank !== b.rank || !batch1(a) || !batch1(b))
        return original.gradFunc(dy, saved, attrs);
      const g = dy as TfTensor;
      const perm = a.rank === 2 ? [1, 0] : [0, 2, 1];
      return {
        a: () => tf.matMul(g, tf.transpose(b, perm)),
        b: () => tf.matMul(tf.transpose(a, perm), g),
      };
    },
  };
}

const originals = new Map<string, GradConfig>();
let installed = false;

/** Register the Conv2D and DepthwiseConv2dNative gradient workarounds (idempotent). */
export function installGradWorkarounds(tf: Tf): void {
  if (installed) return;
  for (const name of ['Conv2D', 'DepthwiseConv2dNative', 'BatchMatMul']) {
    const g = tf.getGradient(name);
    if (!g) throw new Error(`tfjs peer: tfjs-core has no gradient registered for ${name}.`);
    originals.set(name, g);
  }
  tf.registerGradient(conv2dGrad(tf));
  tf.registerGradient(depthwiseGrad(tf));
  installed = true;
}

/** Switch the XNNPACK routing of 2-D matmul gradients on or off (off = tfjs-core's own gradient). */
export function routeMatmulsToXnnpack(tf: Tf, on: boolean): void {
  const orig = originals.get('BatchMatMul') ?? tf.getGradient('BatchMatMul');
  if (!originals.has('BatchMatMul')) originals.set('BatchMatMul', orig);
  tf.registerGradient(on ? batchMatMulXnnGrad(tf, orig) : orig);
}

/** Run `fn` with tfjs-core's own gradients (what a user gets before any workaround). */
export function withNativeGradients<R>(tf: Tf, fn: () => R): R {
  const ours = [...originals.keys()].map((k) => tf.getGradient(k));
  for (const g of originals.values()) tf.registerGradient(g);
  try {
    return fn();
  } finally {
    for (const g of ours) tf.registerGradient(g);
  }
}

/** Backward kernels tfjs-core's conv and resize gradients call that the wasm backend does not register. */
export function missingBackpropKernels(tf: Tf): string[] {
  return [
    'Conv2DBackpropInput',
    'Conv2DBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
    'DepthwiseConv2dNativeBackpropFilter',
    'ResizeBilinearGrad',
  ].filter((k) => !tf.getKernel(k, 'wasm'));
}

export interface GradProbe {
  op: string;
  /** null = the gradient ran; otherwise tfjs's error message. */
  error: string | null;
}

/**
 * Run the gradient of each op a SegFormer training step uses on tiny tensors with tfjs's own gradients
 * and report which fail (and with what message).
 */
export function probeMissingGradients(tf: Tf): GradProbe[] {
  const X = [1, 8, 8, 4];
  // biome-ignore lint/suspicious/noExplicitAny: tfjs's rank-typed signatures.
  type F = (...a: any[]) => TfTensor;
  const cases: [string, number[][], F][] = [
    ['conv2d k7/s4/p3', [X, [7, 7, 4, 2]], (x, w) => tf.conv2d(x, w, 4, 3)],
    ['conv2d k3/s2/p1', [X, [3, 3, 4, 2]], (x, w) => tf.conv2d(x, w, 2, 1)],
    ['conv2d k=s=2 (sr)', [X, [2, 2, 4, 4]], (x, w) => tf.conv2d(x, w, 2, 'valid')],
    ['depthwiseConv2d 3×3', [X, [3, 3, 4, 1]], (x, w) => tf.depthwiseConv2d(x, w, 1, 'same')],
    [
      'matMul',
      [
        [64, 4],
        [4, 3],
      ],
      (a, b) => tf.matMul(a, b),
    ],
    [
      'matMul batched, transposeB',
      [
        [4, 16, 4],
        [4, 5, 4],
      ],
      (a, b) => tf.matMul(a, b, false, true),
    ],
    ['softmax', [X], (x) => tf.softmax(x)],
    ['logSoftmax', [X], (x) => tf.logSoftmax(x)],
    ['erf', [X], (x) => tf.erf(x)],
    ['resizeBilinear half-pixel', [X], (x) => tf.image.resizeBilinear(x, [16, 16], false, true)],
    ['moments (LayerNorm)', [X], (x) => tf.moments(x, -1, true).variance],
    ['rsqrt', [X], (x) => tf.rsqrt(tf.add(tf.square(x), 1))],
    ['concat', [X, X], (a, b) => tf.concat([a, b], 3)],
    ['transpose', [X], (x) => tf.transpose(x, [0, 2, 1, 3])],
    ['relu', [X], (x) => tf.relu(x)],
  ];
  return withNativeGradients(tf, () =>
    cases.map(([op, shapes, f]) => {
      try {
        tf.tidy(() => {
          const ins = shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', i + 1));
          return tf.grads((...a: TfTensor[]) => tf.sum(f(...a)))(ins);
        });
        return { op, error: null };
      } catch (e) {
        return { op, error: (e as Error).message.split('\n')[0] };
      }
    }),
  );
}
