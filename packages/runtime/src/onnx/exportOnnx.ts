// exportOnnx.ts — an `.edgeseg` model (int8 or fp32) as an ONNX model of the same network (DESIGN
// §3.2): opset ≥ 13, QDQ format for int8 files (QuantizeLinear/DequantizeLinear on the input of
// every Linear and conv, int8 weights with per-channel DequantizeLinear on the output axis, int32
// biases at s_in·s_w), f32 everywhere the executor runs f32. Input and output sizes are fixed at
// export (`opts.height/width`, default the model's input size): every Reshape is a constant, so the
// graph needs no shape arithmetic and runtimes can plan memory ahead.
import { splitFuse } from '../executor/segformerExecutor.js';
import { EDGESEG_FORMAT, type EdgesegModelFile } from '../format.js';
import { GraphBuilder } from './graphBuilder.js';
import { type ActivationType, LayerEmitter } from './layers.js';
import { DataType, encodeOnnxModel } from './onnxProto.js';
import { convOut, SegformerGraph } from './segformerGraph.js';

export interface OnnxExportOptions {
  /** Input height the graph is built for (default: the model's `input.height`). */
  height?: number;
  /** Input width (default: the model's `input.width`). */
  width?: number;
  /**
   * ONNX opset, 13…21 (default 17). From 17 LayerNorm is the LayerNormalization op; below it is
   * decomposed (ReduceMean, Sub, Pow, Sqrt, Div, Mul, Add) for runtimes without it (TensorRT 8.5).
   */
  opset?: number;
  /**
   * Integer type of quantized activations (default "uint8", ONNX Runtime's fast U8S8 path). "int8"
   * keeps the file's zero points as they are (S8S8).
   */
  activationType?: ActivationType;
}

/** Names of the graph's input and output. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'logits';

/** The IR version that introduced each opset range (ONNX's versioning table). */
function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 17) return 8;
  if (opset <= 19) return 9;
  return 10;
}

function checkOptions(file: EdgesegModelFile, o: OnnxExportOptions) {
  const height = o.height ?? file.meta.input.height;
  const width = o.width ?? file.meta.input.width;
  for (const [key, v] of [
    ['height', height],
    ['width', width],
  ] as const) {
    if (!Number.isInteger(v) || v < 16 || v > 8192)
      throw new Error(`exportOnnx: opts.${key} must be a whole number in 16..8192. Got ${v}.`);
  }
  const opset = o.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 13 || opset > 21) {
    throw new Error(
      `exportOnnx: opts.opset must be 13…21 (per-channel QDQ needs 13). Got ${opset}. Use 17 unless a runtime needs older.`,
    );
  }
  const activationType = o.activationType ?? 'uint8';
  if (activationType !== 'uint8' && activationType !== 'int8') {
    throw new Error(
      `exportOnnx: opts.activationType must be "uint8" or "int8". Got ${JSON.stringify(activationType)}.`,
    );
  }
  // Each stage with spatial-reduction attention needs at least one R×R window.
  const c = file.meta.arch.config;
  let h = height;
  let w = width;
  for (let s = 0; s < 4; s++) {
    const k = c.patchSizes[s];
    h = convOut(h, k, c.strides[s], k >> 1);
    w = convOut(w, k, c.strides[s], k >> 1);
    const r = c.srRatios[s];
    if (file.meta.arch.blocks[s].some((b) => b.heads > 0) && (h < r || w < r)) {
      throw new Error(
        `exportOnnx: a ${height}×${width} input leaves stage ${s + 1} at ${h}×${w}, smaller than its ${r}×${r} reduction. Expected a larger opts.height/width.`,
      );
    }
  }
  return { height, width, opset, activationType };
}

/**
 * `file` plus the decoder fuse's per-stage layers `head.fuse.${i}` the executor runs (splitFuse:
 * stage i's weight columns, the fuse's scales and input quantization, the bias on stage 1's), so that
 * the graph can run each slice before the upsampling as the executor does.
 */
function withFuseSlices(file: EdgesegModelFile): EdgesegModelFile {
  const tensors = new Map(file.tensors);
  const quant = { ...file.meta.quant };
  splitFuse(file.meta.arch, file.tensors).forEach((slice, i) => {
    for (const [name, t] of slice) tensors.set(name, t);
    const q = file.meta.quant['head.fuse'];
    if (q) quant[`head.fuse.${i}`] = q;
  });
  return { ...file, tensors, meta: { ...file.meta, quant } };
}

/**
 * The ONNX model (bytes of a ModelProto) of an `.edgeseg` model: input "input" f32 [1, 3, H, W]
 * (NCHW, the image resized to H×W and normalized with the model's mean/std), output "logits" f32
 * [1, classes, ⌈H/4⌉, ⌈W/4⌉] — what the executor's `forward` computes, before any upsampling.
 */
export function exportOnnx(file: EdgesegModelFile, opts: OnnxExportOptions = {}): Uint8Array {
  const { height, width, opset, activationType } = checkOptions(file, opts);
  const g = new GraphBuilder();
  const input = g.fresh(ONNX_INPUT);
  const em = new LayerEmitter(g, withFuseSlices(file), activationType, opset);
  const {
    name: output,
    h,
    w,
  } = new SegformerGraph(g, em, file.meta.arch).build(input, height, width, ONNX_OUTPUT);
  const m = file.meta;
  const classes = m.arch.config.classes;
  return encodeOnnxModel({
    irVersion: irVersionFor(opset),
    opset,
    producerName: 'edgeseg',
    producerVersion: EDGESEG_FORMAT,
    graphName: m.arch.config.name,
    docString: `${m.arch.config.name} (${m.precision}${m.precision === 'int8' ? ', QDQ' : ''}) exported from an ${EDGESEG_FORMAT} model.`,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [{ name: input, dataType: DataType.FLOAT, dims: [1, 3, height, width] }],
    outputs: [{ name: output, dataType: DataType.FLOAT, dims: [1, classes, h, w] }],
    // What a consumer needs to prepare inputs and read outputs, without the .edgeseg file.
    metadata: {
      'edgeseg.arch': JSON.stringify(m.arch),
      'edgeseg.precision': m.precision,
      'edgeseg.classes': JSON.stringify(m.classes),
      'edgeseg.palette': JSON.stringify(m.palette),
      'edgeseg.input': JSON.stringify({
        layout: 'NCHW',
        height,
        width,
        mean: m.input.mean,
        std: m.input.std,
      }),
      'edgeseg.provenance': JSON.stringify(m.provenance),
    },
  });
}
