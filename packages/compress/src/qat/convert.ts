// convert.ts — a trained model into the integer model the runtime runs (`.edgeseg`, DESIGN §3.2):
// int8 weights (symmetric per output channel, from the QAT step sizes), int32 biases at scale
// s_in·s_w[c], the activation scale and zero point of every quantized layer's input, f32 LayerNorms
// and depthwise biases, the excised architecture, classes, palette and input normalization. Or, for
// the FP32 path of the same executor, the float weights as they are.
import type { Tensor } from '@edgeseg/autograd';
import { type SegFormer, segformerCost } from '@edgeseg/models';
import { archLayers, type EdgesegMeta, type EdgesegModelFile } from '@edgeseg/runtime';
import type { StTensor } from '@edgeseg/safetensors';
import type { QatSegFormer } from './qatModel.js';
import { roundHalfEven } from './quantizers.js';

export interface ConvertOptions {
  classes: string[];
  palette: [number, number, number][];
  input: EdgesegMeta['input'];
  provenance: Record<string, string>;
}

const f32 = (t: Tensor) => Float32Array.from(t.backend.view(t.storage).subarray(0, t.size));

function common(model: SegFormer, o: ConvertOptions) {
  if (!model.arch.decoder.bnFolded)
    throw new Error('convert: fold the decoder BatchNorm first (foldDecoderBn).');
  const cost = segformerCost(model.arch, o.input.height, o.input.width);
  return { tensors: new Map(model.namedTensors()), params: cost.total.params, macs: cost.total.macs };
}

export function convertInt8(q: QatSegFormer, o: ConvertOptions): EdgesegModelFile {
  const model = q.model;
  const { tensors: src, params, macs } = common(model, o);
  const out = new Map<string, StTensor>();
  const quant: EdgesegMeta['quant'] = {};
  const get = (name: string) => {
    const t = src.get(name);
    if (!t) throw new Error(`convert: the model has no "${name}".`);
    return t;
  };
  for (const l of archLayers(model.arch)) {
    if (l.kind === 'norm') {
      out.set(`${l.name}.weight`, { dtype: 'F32', shape: l.shape, data: f32(get(`${l.name}.weight`)) });
      out.set(`${l.name}.bias`, { dtype: 'F32', shape: l.shape, data: f32(get(`${l.name}.bias`)) });
      continue;
    }
    const wq = q.weight.get(l.name);
    if (!wq) throw new Error(`convert: no weight quantizer for "${l.name}".`);
    const { q: qw, scales } = wq.quantized();
    out.set(`${l.name}.weight`, { dtype: 'I8', shape: l.shape, data: qw });
    out.set(`${l.name}.wscale`, { dtype: 'F32', shape: [scales.length], data: scales });
    const bias = f32(get(`${l.name}.bias`));
    if (l.kind === 'dwconv') {
      out.set(`${l.name}.bias`, { dtype: 'F32', shape: [bias.length], data: bias });
      continue;
    }
    const aq = q.act.get(l.name);
    if (!aq) throw new Error(`convert: no activation quantizer for "${l.name}".`);
    const { scale, zeroPoint } = aq.value;
    quant[l.name] = { scale, zeroPoint };
    const bi = new Int32Array(bias.length);
    for (let c = 0; c < bias.length; c++) {
      const v = roundHalfEven(bias[c] / (scale * scales[c]));
      bi[c] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v));
    }
    out.set(`${l.name}.bias`, { dtype: 'I32', shape: [bi.length], data: bi });
  }
  return {
    meta: {
      arch: model.arch,
      precision: 'int8',
      quant,
      classes: o.classes,
      palette: o.palette,
      input: o.input,
      provenance: o.provenance,
      params,
      macs,
    },
    tensors: out,
  };
}

export function convertFloat(model: SegFormer, o: ConvertOptions): EdgesegModelFile {
  const { tensors: src, params, macs } = common(model, o);
  const out = new Map<string, StTensor>();
  for (const l of archLayers(model.arch)) {
    for (const part of ['weight', 'bias']) {
      const t = src.get(`${l.name}.${part}`);
      if (!t) throw new Error(`convert: the model has no "${l.name}.${part}".`);
      out.set(`${l.name}.${part}`, { dtype: 'F32', shape: [...t.shape], data: f32(t) });
    }
  }
  return {
    meta: {
      arch: model.arch,
      precision: 'fp32',
      quant: {},
      classes: o.classes,
      palette: o.palette,
      input: o.input,
      provenance: o.provenance,
      params,
      macs,
    },
    tensors: out,
  };
}
