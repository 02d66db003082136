// onnxProto.ts — the ONNX messages the exporter writes (ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto) as plain objects, and their encoding. Field numbers
// are those of onnx/onnx.proto (stable since IR version 3); only the fields we set are listed.
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

export type AttrValue = number | number[] | string | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  /** Numbers are INT attributes (ONNX has no way to tell 1 from 1.0): wrap floats as {float}. */
  attrs?: Record<string, AttrValue>;
  domain?: string;
}

export interface OnnxTensor {
  name: string;
  dataType: DataTypeId;
  dims: number[];
  /** Little-endian element bytes (raw_data). */
  raw: Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  dataType: DataTypeId;
  dims: number[];
}

export interface OnnxModel {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  graphName: string;
  docString?: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

function writeAttr(w: ProtoWriter, name: string, v: AttrValue): void {
  w.string(1, name);
  if (typeof v === 'number') w.int(3, v).int(20, ATTR_INT);
  else if (typeof v === 'string') w.string(4, v).int(20, ATTR_STRING);
  else if (Array.isArray(v)) {
    for (const x of v) w.int(8, x);
    w.int(20, ATTR_INTS);
  } else w.float(2, v.float).int(20, ATTR_FLOAT);
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const s of n.inputs) w.string(1, s);
  for (const s of n.outputs) w.string(2, s);
  w.string(3, n.name).string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, (a) => writeAttr(a, k, v));
  if (n.domain) w.string(7, n.domain);
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType).string(8, t.name).bytes(9, t.raw);
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  // ValueInfoProto.type → TypeProto.tensor_type → {elem_type, shape → dim → dim_value}
  w.message(2, (type) =>
    type.message(1, (tt) => {
      tt.int(1, v.dataType);
      tt.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => dim.int(1, d));
      });
    }),
  );
}

export function encodeOnnxModel(m: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, m.irVersion).string(2, m.producerName).string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, (g) => {
    for (const n of m.nodes) g.message(1, (x) => writeNode(x, n));
    g.string(2, m.graphName);
    for (const t of m.initializers) g.message(5, (x) => writeTensor(x, t));
    for (const v of m.inputs) g.message(11, (x) => writeValueInfo(x, v));
    for (const v of m.outputs) g.message(12, (x) => writeValueInfo(x, v));
  });
  // The default ("ai.onnx") domain at the requested opset; com.microsoft is never emitted.
  w.message(8, (o) => o.string(1, '').int(2, m.opset));
  for (const [key, value] of Object.entries(m.metadata))
    w.message(14, (e) => e.string(1, key).string(2, value));
  return w.finish();
}
