// graphBuilder.ts — collects the nodes and initializers of one ONNX graph: unique value names,
// typed initializers (weights are referenced as bytes, not copied) and cached small constants
// (shapes, perms, scalars), so the network code reads like the executor it mirrors.
import { type AttrValue, DataType, type DataTypeId, type OnnxNode, type OnnxTensor } from './onnxProto.js';

type Typed = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

/** The element bytes of a typed array, little endian (every JS engine we target is). */
const bytesOf = (a: Typed) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly consts = new Map<string, string>();
  private readonly opCount = new Map<string, number>();

  /** A value name not used yet: `base`, else `base_1`, `base_2`, … */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output (named after `out`, default the op) and returns that name. */
  node(op: string, inputs: string[], attrs?: Record<string, AttrValue>, out?: string): string {
    const y = this.fresh(out ?? op);
    const i = this.opCount.get(op) ?? 0;
    this.opCount.set(op, i + 1);
    this.nodes.push({ op, inputs, outputs: [y], name: `${op}_${i}`, ...(attrs ? { attrs } : {}) });
    return y;
  }

  private init(name: string, dataType: DataTypeId, dims: number[], data: Typed): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new Error(
        `onnx: initializer "${name}" has ${data.length} elements. Expected [${dims}] = ${count}.`,
      );
    }
    const n = this.fresh(name);
    this.initializers.push({ name: n, dataType, dims, raw: bytesOf(data) });
    return n;
  }

  f32(name: string, dims: number[], data: Float32Array): string {
    return this.init(name, DataType.FLOAT, dims, data);
  }

  i8(name: string, dims: number[], data: Int8Array): string {
    return this.init(name, DataType.INT8, dims, data);
  }

  u8(name: string, dims: number[], data: Uint8Array): string {
    return this.init(name, DataType.UINT8, dims, data);
  }

  i32(name: string, dims: number[], data: Int32Array): string {
    return this.init(name, DataType.INT32, dims, data);
  }

  /** A shared int64 vector constant (Reshape shapes, Resize sizes, Slice bounds). */
  int64s(values: number[]): string {
    const key = `i64:${values.join(',')}`;
    let n = this.consts.get(key);
    if (!n) {
      n = this.init(
        `const_i64_${values.join('_').replaceAll('-', 'm')}`,
        DataType.INT64,
        [values.length],
        BigInt64Array.from(values, (v) => BigInt(v)),
      );
      this.consts.set(key, n);
    }
    return n;
  }

  /** A shared f32 scalar constant (0-d tensor), broadcast by elementwise ops. */
  scalarF32(v: number): string {
    const key = `f32:${Math.fround(v)}`;
    let n = this.consts.get(key);
    if (!n) {
      n = this.init(`const_f32_${this.consts.size}`, DataType.FLOAT, [], Float32Array.of(v));
      this.consts.set(key, n);
    }
    return n;
  }

  reshape(x: string, shape: number[], out?: string): string {
    return this.node('Reshape', [x, this.int64s(shape)], undefined, out);
  }

  transpose(x: string, perm: number[], out?: string): string {
    return this.node('Transpose', [x], { perm }, out);
  }
}
