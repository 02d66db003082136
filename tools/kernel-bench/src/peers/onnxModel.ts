// onnxModel.ts — just enough protobuf to write the one-node ONNX models the peers run
// (MatMul, MatMulInteger, Softmax, LogSoftmax). Field numbers from onnx/onnx.proto.

type Bytes = number[];

function varint(v: number): Bytes {
  const out: Bytes = [];
  let n = BigInt(v);
  if (n < 0n) n += 1n << 64n;
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) b |= 0x80;
    out.push(b);
  } while (n !== 0n);
  return out;
}

const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, v: number): Bytes => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: ArrayLike<number>): Bytes => [
  ...key(field, 2),
  ...varint(b.length),
  ...Array.from(b),
];
const str = (field: number, s: string): Bytes => bytes(field, new TextEncoder().encode(s));
const msg = (field: number, m: Bytes): Bytes => bytes(field, m);

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6 } as const;

export interface Tensor {
  name: string;
  dataType: number;
  dims: number[];
  raw: Uint8Array;
}

export interface ValueInfo {
  name: string;
  dataType: number;
  dims: number[];
}

export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number>;
}

function tensorProto(t: Tensor): Bytes {
  return [...t.dims.flatMap((d) => int(1, d)), ...int(2, t.dataType), ...str(8, t.name), ...bytes(9, t.raw)];
}

function valueInfo(v: ValueInfo): Bytes {
  const dims = v.dims.flatMap((d) => msg(1, int(1, d)));
  const tensorType = [...int(1, v.dataType), ...msg(2, dims)];
  return [...str(1, v.name), ...msg(2, msg(1, tensorType))];
}

function nodeProto(n: Node, i: number): Bytes {
  const attrs = Object.entries(n.attrs ?? {}).flatMap(([name, v]) =>
    msg(5, [...str(1, name), ...int(3, v), ...int(20, 2)]),
  );
  return [
    ...n.inputs.flatMap((s) => str(1, s)),
    ...n.outputs.flatMap((s) => str(2, s)),
    ...str(3, `${n.op}_${i}`),
    ...str(4, n.op),
    ...attrs,
  ];
}

export function encodeModel(g: {
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Tensor[];
  opset?: number;
}): Uint8Array {
  const graph = [
    ...g.nodes.flatMap((n, i) => msg(1, nodeProto(n, i))),
    ...str(2, 'bench'),
    ...g.initializers.flatMap((t) => msg(5, tensorProto(t))),
    ...g.inputs.flatMap((v) => msg(11, valueInfo(v))),
    ...g.outputs.flatMap((v) => msg(12, valueInfo(v))),
  ];
  const model = [
    ...int(1, 8),
    ...str(2, 'edgeseg-kernel-bench'),
    ...msg(7, graph),
    ...msg(8, int(2, g.opset ?? 13)),
  ];
  return new Uint8Array(model);
}

const u8 = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Y = A·B with B a constant [K,N] initializer. */
export function matMulModel(m: number, n: number, k: number, b: Float32Array): Uint8Array {
  return encodeModel({
    nodes: [{ op: 'MatMul', inputs: ['A', 'B'], outputs: ['Y'] }],
    inputs: [{ name: 'A', dataType: DataType.FLOAT, dims: [m, k] }],
    outputs: [{ name: 'Y', dataType: DataType.FLOAT, dims: [m, n] }],
    initializers: [{ name: 'B', dataType: DataType.FLOAT, dims: [k, n], raw: u8(b) }],
  });
}

/**
 * Y(int32) = (A − a_zp)·B with a quantized activation A (input; int8, or uint8 — the layout ORT's
 * CPU kernels favour, U8S8) and int8 B (constant [K,N], zero point 0).
 */
export function matMulIntegerModel(
  m: number,
  n: number,
  k: number,
  b: Int8Array,
  aZeroPoint: number,
  aType: 'int8' | 'uint8' = 'int8',
): Uint8Array {
  const at = aType === 'int8' ? DataType.INT8 : DataType.UINT8;
  return encodeModel({
    nodes: [{ op: 'MatMulInteger', inputs: ['A', 'B', 'a_zp'], outputs: ['Y'] }],
    inputs: [{ name: 'A', dataType: at, dims: [m, k] }],
    outputs: [{ name: 'Y', dataType: DataType.INT32, dims: [m, n] }],
    initializers: [
      { name: 'B', dataType: DataType.INT8, dims: [k, n], raw: u8(b) },
      { name: 'a_zp', dataType: at, dims: [], raw: new Uint8Array([aZeroPoint & 0xff]) },
    ],
  });
}

/** Y = Softmax(X) or LogSoftmax(X) over the last axis of a [rows, cols] input. */
export function softmaxModel(
  rows: number,
  cols: number,
  op: 'Softmax' | 'LogSoftmax' = 'Softmax',
): Uint8Array {
  return encodeModel({
    nodes: [{ op, inputs: ['X'], outputs: ['Y'], attrs: { axis: -1 } }],
    inputs: [{ name: 'X', dataType: DataType.FLOAT, dims: [rows, cols] }],
    outputs: [{ name: 'Y', dataType: DataType.FLOAT, dims: [rows, cols] }],
    initializers: [],
  });
}

/**
 * Y = op(A)·op(B) with ONNX `Gemm` (transA / transB attributes): A an input ([k,m] when transA),
 * B a constant initializer ([n,k] when transB). The transposed products of training, as ORT runs them.
 */
export function gemmModel(
  m: number,
  n: number,
  k: number,
  b: Float32Array,
  transA: boolean,
  transB: boolean,
): Uint8Array {
  return encodeModel({
    nodes: [
      {
        op: 'Gemm',
        inputs: ['A', 'B'],
        outputs: ['Y'],
        attrs: { transA: transA ? 1 : 0, transB: transB ? 1 : 0 },
      },
    ],
    inputs: [{ name: 'A', dataType: DataType.FLOAT, dims: transA ? [k, m] : [m, k] }],
    outputs: [{ name: 'Y', dataType: DataType.FLOAT, dims: [m, n] }],
    initializers: [{ name: 'B', dataType: DataType.FLOAT, dims: transB ? [n, k] : [k, n], raw: u8(b) }],
  });
}
