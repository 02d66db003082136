// backend.ts — the primitive buffer operations ("llops") every backend provides. No gradients here:
// autograd lives above, in Functions that call these. Two implementations run the same conformance
// suite: `ref` (plain TS loops, f32 or f64 — the oracle) and `wasm` (edgeseg's SIMD kernels).
//
// All tensors are contiguous row-major; offsets and strides count elements, not bytes.

export type FArray = Float32Array | Float64Array;

/** An opaque block of numbers owned by a backend. Reshapes share one storage (refcounted). */
export interface Storage {
  readonly length: number;
  refs: number;
}

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'rsqrt'
  | 'abs'
  | 'square'
  | 'relu'
  | 'gelu'
  | 'sigmoid'
  | 'tanh'
  | 'hardswish'
  | 'hardsigmoid';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

export interface GemmArgs {
  m: number;
  n: number;
  k: number;
  /** C[m×n] (+)= op(A)[m×k]·op(B)[k×n]; op(A) = Aᵀ when transA (A stored k×m). */
  a: Storage;
  aOffset: number;
  lda: number;
  transA: boolean;
  b: Storage;
  bOffset: number;
  ldb: number;
  transB: boolean;
  c: Storage;
  cOffset: number;
  ldc: number;
  accumulate: boolean;
  /** Added to every row of C (length n), after the product. */
  bias?: Storage;
}

/** One AdamW step's hyper-parameters; `lr` already includes the group's multiplier. */
export interface AdamwHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Step number t ≥ 1 (after the optimizer's increment): the bias corrections are 1 − β^t. */
  step: number;
}

/** One fake quantizer (QAT): integer grid [qmin, qmax] with zero point z and step `scale` > 0. */
export interface FakeQuantArgs {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
  rounding?: 'nearest' | 'floor';
}

/** NHWC image geometry of a 2-D convolution / im2col. */
export interface ConvGeom {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  kH: number;
  kW: number;
  stride: number;
  pad: number;
  /** Spacing of kernel taps (atrous convolution); 1 = dense. */
  dilation: number;
  outH: number;
  outW: number;
}

export interface Backend {
  readonly name: string;
  /** Numbers are stored as f64 (ref backend for gradient checks) or f32. */
  readonly f64: boolean;
  /** A backend that only counts (cost accounting): layers skip random initialization on it. */
  readonly meta?: boolean;

  alloc(n: number): Storage;
  /** Drop one reference; the block is reused once no tensor refers to it. */
  release(s: Storage): void;
  /** A view of the numbers (valid until the next allocation on wasm: do not keep it). */
  view(s: Storage): FArray;
  fill(s: Storage, value: number, offset?: number, n?: number): void;
  copy(src: Storage, srcOffset: number, dst: Storage, dstOffset: number, n: number): void;

  gemm(g: GemmArgs): void;
  unary(op: UnaryOp, x: Storage, y: Storage, n: number): void;
  /** dx = dy · f'(x) (or, for exp/sigmoid/tanh, from y = f(x)); `accumulate` adds to dx. */
  unaryGrad(op: UnaryOp, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number): void;
  /** out[i] = a[i·aStr] ∘ b[i·bStr] over outShape; strides of 0 broadcast. */
  binary(
    op: BinaryOp,
    a: Storage,
    aStrides: number[],
    b: Storage,
    bStrides: number[],
    out: Storage,
    shape: number[],
  ): void;
  /** y = x·scale + shift, elementwise. */
  affine(x: Storage, y: Storage, n: number, scale: number, shift: number): void;
  /** Sum (or max) of x [outer, mid, inner] over mid → out [outer, inner]. */
  reduce(op: 'sum' | 'max', x: Storage, outer: number, mid: number, inner: number, out: Storage): void;
  /** Row-wise softmax (or log-softmax) of rows×cols. */
  softmax(x: Storage, y: Storage, rows: number, cols: number, log: boolean): void;
  /** dx = softmax backward from y and dy. */
  softmaxGrad(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number, log: boolean): void;
  layerNorm(
    x: Storage,
    gamma: Storage,
    beta: Storage,
    y: Storage,
    mean: Storage,
    rstd: Storage,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  /** dx (overwritten), dgamma and dbeta (accumulated). */
  layerNormGrad(
    x: Storage,
    gamma: Storage,
    mean: Storage,
    rstd: Storage,
    dy: Storage,
    dx: Storage,
    dgamma: Storage,
    dbeta: Storage,
    rows: number,
    cols: number,
  ): void;
  /** cols[b·oh·ow, kh·kw·c] from NHWC x (zero padding). */
  im2col(x: Storage, cols: Storage, g: ConvGeom): void;
  /** dx (NHWC, accumulated) from dcols: the adjoint of im2col. */
  col2im(dcols: Storage, dx: Storage, g: ConvGeom): void;
  /** Depthwise conv, NHWC, weights [kh, kw, c], optional bias [c]. */
  dwconv(x: Storage, w: Storage, bias: Storage | null, y: Storage, g: ConvGeom): void;
  /** dx and dw, db accumulated (db may be null). */
  dwconvGrad(
    x: Storage,
    w: Storage,
    dy: Storage,
    dx: Storage | null,
    dw: Storage,
    db: Storage | null,
    g: ConvGeom,
  ): void;
  /** Bilinear resize NHWC, align_corners = false (half-pixel centres, as PyTorch). */
  resize(
    x: Storage,
    y: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void;
  /** dx (accumulated): the adjoint of resize. */
  resizeGrad(
    dy: Storage,
    dx: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void;
  /** out = x permuted (contiguous) by `perm` of `shape`. */
  permute(x: Storage, shape: number[], perm: number[], out: Storage): void;
  /**
   * One AdamW step over n elements, in place on p, m, v (g read): m = β1·m + (1−β1)·g,
   * v = β2·v + (1−β2)·g², p = p·(1 − lr·wd) − lr·(m/bc1)/(√(v/bc2) + ε), bc = 1 − β^step.
   * Optional: without it the optimizer runs `adamwStep` over views.
   */
  adamw?(p: Storage, g: Storage, m: Storage, v: Storage, n: number, h: AdamwHyper): void;
  /**
   * y = (clamp(round(x/s) + z, qmin, qmax) − z)·s over elements [offset, offset + n) of x and y.
   * Optional: without it the op runs `fakeQuantRows` over views.
   */
  fakeQuant?(x: Storage, y: Storage, offset: number, n: number, q: FakeQuantArgs): void;
  /**
   * Its backward over the same elements: dx = dy where round(x/s) + z lies in [qmin, qmax], else 0
   * (straight-through); returns Σ dy·d with LSQ's d = round(x/s) − x/s inside, qmin − z below,
   * qmax − z above (the step size's gradient before LSQ's gradient scale).
   */
  fakeQuantGrad?(x: Storage, dy: Storage, dx: Storage, offset: number, n: number, q: FakeQuantArgs): number;
}
