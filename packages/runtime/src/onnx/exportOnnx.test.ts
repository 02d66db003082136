// The exporter's output, read back with a minimal protobuf reader: the wire format itself, then the
// QDQ rules TensorRT and ONNX Runtime rely on (int8 weights in [−127, 127] with zero point 0,
// per-channel scales on the output axis, int32 biases, a Q/DQ pair before every quantized layer),
// fp32 files without Q/DQ, and the option errors. Numerical agreement with the executor is checked
// against onnxruntime-web in tools/runtime-bench (the runtime does not depend on it).
import { describe, expect, it } from 'vitest';
import { archLayers } from '../format.js';
import { randomModelFile } from '../randomModel.js';
import { tinyArch } from '../testkit/tinyArch.js';
import { exportOnnx } from './exportOnnx.js';
import { ProtoWriter } from './protobuf.js';

type Field = number | Uint8Array;

/** field number → values (varints as numbers, fixed32 as their float, length-delimited as bytes). */
function readFields(b: Uint8Array): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let i = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const byte = b[i++];
      v |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (byte < 0x80) break;
    }
    return Number(BigInt.asIntN(64, v));
  };
  while (i < b.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    let value: Field;
    if (key % 8 === 0) value = varint();
    else if (key % 8 === 5) {
      value = new DataView(b.buffer, b.byteOffset + i, 4).getFloat32(0, true);
      i += 4;
    } else {
      const n = varint();
      value = b.subarray(i, i + n);
      i += n;
    }
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const text = (f: Field) => new TextDecoder().decode(f as Uint8Array);

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, Map<number, Field[]>>;
}

function readModel(bytes: Uint8Array) {
  const m = readFields(bytes);
  const g = readFields(m.get(7)![0] as Uint8Array);
  const nodes: Node[] = (g.get(1) ?? []).map((raw) => {
    const n = readFields(raw as Uint8Array);
    const attrs = new Map<string, Map<number, Field[]>>();
    for (const a of n.get(5) ?? []) {
      const af = readFields(a as Uint8Array);
      attrs.set(text(af.get(1)![0]), af);
    }
    return {
      op: text(n.get(4)![0]),
      inputs: (n.get(1) ?? []).map(text),
      outputs: (n.get(2) ?? []).map(text),
      attrs,
    };
  });
  const inits = new Map(
    (g.get(5) ?? []).map((raw) => {
      const t = readFields(raw as Uint8Array);
      return [
        text(t.get(8)![0]),
        {
          dims: (t.get(1) ?? []) as number[],
          type: t.get(2)![0] as number,
          raw: t.get(9)?.[0] as Uint8Array,
        },
      ];
    }),
  );
  const opset = readFields(m.get(8)![0] as Uint8Array);
  return { ir: m.get(1)![0], opset: opset.get(2)![0], domain: text(opset.get(1)![0]), nodes, inits };
}

describe('protobuf writer', () => {
  it('writes varints (multi-byte, int64 negatives as 10 bytes), floats and nested lengths', () => {
    const w = new ProtoWriter().int(1, 300).int(2, -1).float(3, 1.5);
    w.message(4, (s) => s.string(1, 'ab'));
    const b = w.finish();
    expect(Array.from(b.subarray(0, 3))).toEqual([0x08, 0xac, 0x02]);
    expect(Array.from(b.subarray(3, 14))).toEqual([0x10, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
    const f = readFields(b);
    expect(f.get(1)).toEqual([300]);
    expect(f.get(2)).toEqual([-1]);
    expect(f.get(3)).toEqual([1.5]);
    expect(text(readFields(f.get(4)![0] as Uint8Array).get(1)![0])).toBe('ab');
  });

  it('keeps large byte fields by reference until finish, in order', () => {
    const big = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
    const b = new ProtoWriter().bytes(1, big).int(2, 7).finish();
    const f = readFields(b);
    expect(Array.from(f.get(1)![0] as Uint8Array)).toEqual(Array.from(big));
    expect(f.get(2)).toEqual([7]);
  });
});

describe('exportOnnx', () => {
  const arch = tinyArch();
  const int8 = randomModelFile(arch, 'int8', { height: 64, width: 128, seed: 4 });

  it('writes opset 17 in the default domain, NCHW input, logits at 1/4 resolution', () => {
    const m = readModel(exportOnnx(int8));
    expect(m.opset).toBe(17);
    expect(m.ir).toBe(8);
    expect(m.domain).toBe('');
    const out = m.nodes.find((n) => n.outputs.includes('logits'));
    expect(out?.op).toBe('Reshape');
    expect(m.nodes.filter((n) => n.inputs.includes('input')).map((n) => n.op)).toEqual(['QuantizeLinear']);
  });

  it('follows the QDQ rules: int8 weights with zero point 0 per output channel, int32 biases', () => {
    const m = readModel(exportOnnx(int8));
    const producer = new Map(m.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    const axisOf = (n: Node) => n.attrs.get('axis')?.get(3)?.[0];
    const linears = archLayers(arch).filter((l) => l.kind === 'linear' || l.kind === 'conv');
    let matmuls = 0;
    for (const n of m.nodes.filter((x) => x.op === 'MatMul' || x.op === 'Conv')) {
      const [x, w] = n.inputs.map((i) => producer.get(i));
      if (n.op === 'Conv' && n.attrs.has('group')) continue; // depthwise: f32 input by design
      if (n.op === 'MatMul' && !m.inits.has(w?.inputs[0] ?? '')) continue; // attention: f32 × f32
      matmuls++;
      expect(x?.op).toBe('DequantizeLinear');
      expect(producer.get(x!.inputs[0])?.op).toBe('QuantizeLinear');
      expect(w?.op).toBe('DequantizeLinear');
      const [wq, scale, zp] = w!.inputs.map((i) => m.inits.get(i)!);
      expect(wq.type).toBe(3); // INT8
      expect(new Int8Array(wq.raw.buffer, wq.raw.byteOffset, wq.raw.length).includes(-128)).toBe(false);
      expect(Array.from(zp.raw).every((v) => v === 0)).toBe(true);
      const axis = n.op === 'MatMul' ? 1 : 0; // MatMul B is [in, out]; Conv W is [out, in, k, k]
      expect(axisOf(w!)).toBe(axis);
      expect(scale.dims).toEqual([wq.dims[axis]]);
    }
    // The decoder's fuse is one quantized MatMul per stage (run before the upsampling, as the executor does).
    const slices = arch.decoder.cDims.length - 1;
    expect(matmuls).toBe(linears.length + slices);
    const biasDq = m.nodes.filter((n) => n.op === 'DequantizeLinear' && m.inits.get(n.inputs[0])?.type === 6);
    expect(biasDq.length).toBe(linears.length + slices);
  });

  it('uses uint8 activations with zero point z+128 by default, the file zero point with int8', () => {
    const layer = 'head.cls';
    const z = int8.meta.quant[layer].zeroPoint;
    const u8 = readModel(exportOnnx(int8)).inits.get(`${layer}.in_zero_point`)!;
    expect([u8.type, u8.raw[0]]).toEqual([2, z + 128]);
    const s8 = readModel(exportOnnx(int8, { activationType: 'int8' })).inits.get(`${layer}.in_zero_point`)!;
    expect([s8.type, new Int8Array(s8.raw.buffer, s8.raw.byteOffset, 1)[0]]).toEqual([3, z]);
  });

  it('writes fp32 files without Q/DQ, and LayerNorm decomposed below opset 17', () => {
    const fp32 = randomModelFile(arch, 'fp32', { height: 64, width: 128, seed: 4 });
    const m = readModel(exportOnnx(fp32, { opset: 13 }));
    const ops = new Set(m.nodes.map((n) => n.op));
    expect(ops.has('QuantizeLinear') || ops.has('DequantizeLinear')).toBe(false);
    expect(ops.has('LayerNormalization')).toBe(false);
    expect(ops.has('ReduceMean')).toBe(true);
    expect(m.ir).toBe(7);
  });

  it('refuses bad options, naming them', () => {
    expect(() => exportOnnx(int8, { opset: 12 })).toThrow(/opts\.opset must be 13…21/);
    expect(() => exportOnnx(int8, { height: 10 })).toThrow(/opts\.height must be a whole number/);
    expect(() => exportOnnx(int8, { width: 64.5 })).toThrow(/opts\.width/);
    // 16×16 leaves stage 2 at 2×2, smaller than its 4×4 spatial reduction.
    expect(() => exportOnnx(int8, { height: 16, width: 16 })).toThrow(/smaller than its/);
    // biome-ignore lint/suspicious/noExplicitAny: an untyped caller's mistake
    expect(() => exportOnnx(int8, { activationType: 'u8' as any })).toThrow(/activationType/);
  });
});
