// format.ts — the `.edgeseg` model file (DESIGN §3.2): a safetensors file whose `__metadata__`
// carries format "edgeseg/1", the (possibly excised) architecture, the precision, per-layer
// activation quantization, classes, palette, input normalization and provenance. Each metadata
// value is a JSON string (safetensors metadata is string → string).
//
// Tensors, by layer (names are the model's module paths):
//   int8: quantized Linear/Conv layers have `.weight` I8 (symmetric per output channel, [−127, 127]),
//     `.wscale` F32 [out] and `.bias` I32 [out] at scale s_in·s_w[c]; depthwise convolutions have
//     `.weight` I8 [kh,kw,C], `.wscale` F32 [C] and `.bias` F32 [C] (they run in f32 on dequantized
//     weights); LayerNorms have F32 `.weight` and `.bias`.
//   fp32: every `.weight` and `.bias` in F32.
// The decoder's BatchNorm is always folded into linear_fuse. A file is untrusted input: the reader
// checks every field, and every tensor's presence, dtype and shape against the architecture, before
// anything is built from it.
import { type DType, decodeSafetensors, encodeSafetensors, type StTensor } from '@edgeseg/safetensors';
import { checkArch, type SegFormerArch } from './arch.js';

export const EDGESEG_FORMAT = 'edgeseg/1';

export type Precision = 'int8' | 'fp32';

export interface ActQuant {
  /** Real value of one integer step. */
  scale: number;
  /** Integer representing real 0, in [−128, 127]. */
  zeroPoint: number;
}

export interface EdgesegMeta {
  arch: SegFormerArch;
  precision: Precision;
  /** Input quantization of every quantized layer (int8 files), by layer name. */
  quant: Record<string, ActQuant>;
  classes: string[];
  palette: [number, number, number][];
  input: { height: number; width: number; mean: [number, number, number]; std: [number, number, number] };
  provenance: Record<string, string>;
  params: number;
  macs: number;
}

export interface EdgesegModelFile {
  meta: EdgesegMeta;
  tensors: Map<string, StTensor>;
}

export type LayerKind = 'linear' | 'conv' | 'dwconv' | 'norm';

export interface LayerSpec {
  name: string;
  kind: LayerKind;
  /** Weight shape: linear [out, in]; conv [out, k, k, in]; dwconv [k, k, C]; norm [C]. */
  shape: number[];
}

/** Every parameterized layer of an architecture, in execution order. */
export function archLayers(arch: SegFormerArch): LayerSpec[] {
  const c = arch.config;
  const out: LayerSpec[] = [];
  for (let s = 0; s < 4; s++) {
    const d = c.dims[s];
    const inC = s === 0 ? 3 : c.dims[s - 1];
    const st = `stages.${s}`;
    out.push({ name: `${st}.embed.proj`, kind: 'conv', shape: [d, c.patchSizes[s], c.patchSizes[s], inC] });
    out.push({ name: `${st}.embed.norm`, kind: 'norm', shape: [d] });
    arch.blocks[s].forEach((b, j) => {
      const bl = `${st}.blocks.${j}`;
      if (b.heads > 0) {
        const inner = b.heads * b.headDim;
        out.push({ name: `${bl}.norm1`, kind: 'norm', shape: [d] });
        out.push({ name: `${bl}.attn.q`, kind: 'linear', shape: [inner, d] });
        if (c.srRatios[s] > 1) {
          out.push({ name: `${bl}.attn.sr`, kind: 'conv', shape: [d, c.srRatios[s], c.srRatios[s], d] });
          out.push({ name: `${bl}.attn.srNorm`, kind: 'norm', shape: [d] });
        }
        out.push({ name: `${bl}.attn.k`, kind: 'linear', shape: [inner, d] });
        out.push({ name: `${bl}.attn.v`, kind: 'linear', shape: [inner, d] });
        out.push({ name: `${bl}.attn.proj`, kind: 'linear', shape: [d, inner] });
      }
      if (b.ffn > 0) {
        out.push({ name: `${bl}.norm2`, kind: 'norm', shape: [d] });
        out.push({ name: `${bl}.ffn.fc1`, kind: 'linear', shape: [b.ffn, d] });
        out.push({ name: `${bl}.ffn.dw`, kind: 'dwconv', shape: [3, 3, b.ffn] });
        out.push({ name: `${bl}.ffn.fc2`, kind: 'linear', shape: [d, b.ffn] });
      }
    });
    out.push({ name: `${st}.norm`, kind: 'norm', shape: [d] });
  }
  const { cDims, fuseDim } = arch.decoder;
  cDims.forEach((cd, i) => {
    out.push({ name: `head.linearC.${i}`, kind: 'linear', shape: [cd, c.dims[i]] });
  });
  out.push({ name: 'head.fuse', kind: 'linear', shape: [fuseDim, cDims.reduce((a, b) => a + b, 0)] });
  out.push({ name: 'head.cls', kind: 'linear', shape: [c.classes, fuseDim] });
  return out;
}

export const isQuantized = (l: LayerSpec) => l.kind === 'linear' || l.kind === 'conv';

/** The tensors (name → dtype and shape) a file of this architecture and precision holds. */
export function expectedTensors(
  arch: SegFormerArch,
  precision: Precision,
): Map<string, { dtype: DType; shape: number[] }> {
  const m = new Map<string, { dtype: DType; shape: number[] }>();
  for (const l of archLayers(arch)) {
    const outC = l.kind === 'dwconv' ? l.shape[2] : l.shape[0];
    if (precision === 'fp32' || l.kind === 'norm') {
      m.set(`${l.name}.weight`, { dtype: 'F32', shape: l.shape });
      m.set(`${l.name}.bias`, { dtype: 'F32', shape: [outC] });
    } else {
      m.set(`${l.name}.weight`, { dtype: 'I8', shape: l.shape });
      m.set(`${l.name}.wscale`, { dtype: 'F32', shape: [outC] });
      m.set(`${l.name}.bias`, { dtype: l.kind === 'dwconv' ? 'F32' : 'I32', shape: [outC] });
    }
  }
  return m;
}

function metaStrings(meta: EdgesegMeta): Record<string, string> {
  return {
    format: EDGESEG_FORMAT,
    arch: JSON.stringify(meta.arch),
    precision: meta.precision,
    quant: JSON.stringify(meta.quant),
    classes: JSON.stringify(meta.classes),
    palette: JSON.stringify(meta.palette),
    input: JSON.stringify(meta.input),
    provenance: JSON.stringify(meta.provenance),
    params: String(meta.params),
    macs: String(meta.macs),
  };
}

export function encodeEdgeseg(f: EdgesegModelFile): Uint8Array {
  const bytes = encodeSafetensors(f.tensors, metaStrings(f.meta));
  // Never write what the reader would refuse.
  decodeEdgeseg(bytes, '<encoding>');
  return bytes;
}

function parseJson(file: string, field: string, text: string | undefined): unknown {
  if (text === undefined)
    throw new Error(`file: ${file}: metadata "${field}" is missing. Expected an edgeseg/1 model file.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`file: ${file}: metadata "${field}" is not valid JSON.`);
  }
}

/** Parse and validate an .edgeseg file (bytes). Tensor data are views into `bytes` where aligned. */
export function decodeEdgeseg(bytes: Uint8Array, file: string): EdgesegModelFile {
  const { metadata: md, tensors } = decodeSafetensors(bytes, file);
  if (md.format !== EDGESEG_FORMAT) {
    throw new Error(
      `file: ${file}: not an edgeseg model. Expected metadata format "${EDGESEG_FORMAT}", got ${JSON.stringify(md.format ?? null)}.`,
    );
  }
  const fail = (what: string): never => {
    throw new Error(`file: ${file}: ${what}.`);
  };
  const arch = checkArch(parseJson(file, 'arch', md.arch), `file: ${file}`);
  if (!arch.decoder.bnFolded)
    fail('the decoder BatchNorm is not folded (arch.decoder.bnFolded). Expected a converted model');
  const precision = md.precision;
  if (precision !== 'int8' && precision !== 'fp32')
    fail(`precision is ${JSON.stringify(precision)}. Expected "int8" or "fp32"`);
  const p = precision as Precision;
  const quantRaw = parseJson(file, 'quant', md.quant);
  if (typeof quantRaw !== 'object' || quantRaw === null || Array.isArray(quantRaw))
    fail('metadata "quant" is not an object');
  const quant: Record<string, ActQuant> = {};
  const layers = archLayers(arch);
  if (p === 'int8') {
    for (const l of layers.filter(isQuantized)) {
      const q = (quantRaw as Record<string, ActQuant>)[l.name];
      if (
        !q ||
        !(q.scale > 0) ||
        !Number.isFinite(q.scale) ||
        !Number.isInteger(q.zeroPoint) ||
        q.zeroPoint < -128 ||
        q.zeroPoint > 127
      ) {
        fail(
          `quant["${l.name}"] is ${JSON.stringify(q ?? null)}. Expected {scale > 0, zeroPoint in [−128, 127]}`,
        );
      }
      quant[l.name] = { scale: q.scale, zeroPoint: q.zeroPoint };
    }
  }
  const classes = parseJson(file, 'classes', md.classes);
  if (
    !Array.isArray(classes) ||
    classes.length !== arch.config.classes ||
    !classes.every((x) => typeof x === 'string')
  ) {
    fail(`metadata "classes" must list ${arch.config.classes} names`);
  }
  const palette = parseJson(file, 'palette', md.palette);
  const isRgb = (v: unknown) =>
    Array.isArray(v) && v.length === 3 && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255);
  if (!Array.isArray(palette) || palette.length !== arch.config.classes || !palette.every(isRgb)) {
    fail(`metadata "palette" must give ${arch.config.classes} RGB triples in 0..255`);
  }
  const input = parseJson(file, 'input', md.input) as EdgesegMeta['input'];
  const dim = (v: unknown) => Number.isInteger(v) && (v as number) >= 16 && (v as number) <= 8192;
  const triple = (v: unknown, pos: boolean) =>
    Array.isArray(v) &&
    v.length === 3 &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!pos || x > 0));
  if (
    !input ||
    !dim(input.height) ||
    !dim(input.width) ||
    !triple(input.mean, false) ||
    !triple(input.std, true)
  ) {
    fail('metadata "input" must be {height, width (16..8192), mean [3], std [3] > 0}');
  }
  const provenance = parseJson(file, 'provenance', md.provenance) as Record<string, string>;
  if (
    typeof provenance !== 'object' ||
    provenance === null ||
    Object.values(provenance).some((v) => typeof v !== 'string')
  ) {
    fail('metadata "provenance" must map strings to strings');
  }
  const want = expectedTensors(arch, p);
  for (const [name, spec] of want) {
    const t = tensors.get(name);
    if (!t) fail(`tensor "${name}" is missing (${spec.dtype}[${spec.shape}] expected for this architecture)`);
    if (t!.dtype !== spec.dtype || t!.shape.join(',') !== spec.shape.join(',')) {
      fail(`tensor "${name}" is ${t!.dtype}[${t!.shape}]. Expected ${spec.dtype}[${spec.shape}]`);
    }
  }
  for (const name of tensors.keys())
    if (!want.has(name)) fail(`tensor "${name}" is not part of this architecture`);
  if (p === 'int8') {
    for (const [name, t] of tensors) {
      if (t.dtype === 'I8' && (t.data as Int8Array).includes(-128))
        fail(`tensor "${name}" holds −128. Expected symmetric weights in [−127, 127]`);
      if (name.endsWith('.wscale') && !(t.data as Float32Array).every((v) => v > 0 && Number.isFinite(v))) {
        fail(`tensor "${name}" has a scale ≤ 0 or not finite`);
      }
    }
  }
  return {
    meta: {
      arch,
      precision: p,
      quant,
      classes: classes as string[],
      palette: palette as [number, number, number][],
      input,
      provenance,
      params: Number(md.params ?? 0),
      macs: Number(md.macs ?? 0),
    },
    tensors,
  };
}
