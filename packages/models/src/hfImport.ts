// hfImport.ts — load real SegFormer weights saved with Hugging Face's parameter names
// (SegformerForSemanticSegmentation, modeling_segformer.py; REFERENCE.md §2.2) into our model.
// Layout changes: convolution weights are OIHW in PyTorch and OHWI here (channels-last); depthwise
// [C,1,kh,kw] becomes [kh,kw,C]; the 1×1 fuse and classifier convs become Linear [out,in].
// Every tensor the file lacks or the model lacks is an error naming it; so is a shape mismatch.
import type { Tensor } from '@edgeseg/autograd';
import { readSafetensorsFile, type StTensor } from '@edgeseg/safetensors';
import type { SegFormer } from './segformer.js';

type Layout = 'same' | 'conv' | 'dw' | 'pointwise';

interface Rule {
  re: RegExp;
  to: (m: RegExpMatchArray) => string;
  layout: Layout;
}

const E = 'segformer\\.encoder';
const rules: Rule[] = [
  {
    re: new RegExp(`^${E}\\.patch_embeddings\\.(\\d)\\.proj\\.weight$`),
    to: (m) => `stages.${m[1]}.embed.proj.weight`,
    layout: 'conv',
  },
  {
    re: new RegExp(`^${E}\\.patch_embeddings\\.(\\d)\\.proj\\.bias$`),
    to: (m) => `stages.${m[1]}.embed.proj.bias`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.patch_embeddings\\.(\\d)\\.layer_norm\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.embed.norm.${m[2]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.layer_norm_1\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.norm1.${m[3]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.layer_norm_2\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.norm2.${m[3]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.attention\\.self\\.(query|key|value)\\.(weight|bias)$`),
    to: (m) =>
      `stages.${m[1]}.blocks.${m[2]}.attn.${({ query: 'q', key: 'k', value: 'v' } as Record<string, string>)[m[3]]}.${m[4]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.attention\\.self\\.sr\\.weight$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.attn.sr.weight`,
    layout: 'conv',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.attention\\.self\\.sr\\.bias$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.attn.sr.bias`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.attention\\.self\\.layer_norm\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.attn.srNorm.${m[3]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.attention\\.output\\.dense\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.attn.proj.${m[3]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.mlp\\.dense1\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.ffn.fc1.${m[3]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.mlp\\.dense2\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.ffn.fc2.${m[3]}`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.mlp\\.dwconv\\.dwconv\\.weight$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.ffn.dw.weight`,
    layout: 'dw',
  },
  {
    re: new RegExp(`^${E}\\.block\\.(\\d)\\.(\\d+)\\.mlp\\.dwconv\\.dwconv\\.bias$`),
    to: (m) => `stages.${m[1]}.blocks.${m[2]}.ffn.dw.bias`,
    layout: 'same',
  },
  {
    re: new RegExp(`^${E}\\.layer_norm\\.(\\d)\\.(weight|bias)$`),
    to: (m) => `stages.${m[1]}.norm.${m[2]}`,
    layout: 'same',
  },
  {
    re: /^decode_head\.linear_c\.(\d)\.proj\.(weight|bias)$/,
    to: (m) => `head.linearC.${m[1]}.${m[2]}`,
    layout: 'same',
  },
  { re: /^decode_head\.linear_fuse\.weight$/, to: () => 'head.fuse.weight', layout: 'pointwise' },
  {
    re: /^decode_head\.batch_norm\.(weight|bias|running_mean|running_var)$/,
    to: (m) =>
      `head.bn.${({ weight: 'weight', bias: 'bias', running_mean: 'runningMean', running_var: 'runningVar' } as Record<string, string>)[m[1]]}`,
    layout: 'same',
  },
  { re: /^decode_head\.classifier\.weight$/, to: () => 'head.cls.weight', layout: 'pointwise' },
  { re: /^decode_head\.classifier\.bias$/, to: () => 'head.cls.bias', layout: 'same' },
];

/** Tensors the HF model has that carry no weights. */
const IGNORED = /num_batches_tracked$/;

/** Our name and the re-laid-out values of one HF tensor, or null for an ignorable one. */
export function mapHfTensor(
  name: string,
  shape: number[],
  data: Float32Array,
): { name: string; shape: number[]; data: Float32Array } | null {
  if (IGNORED.test(name)) return null;
  for (const r of rules) {
    const m = name.match(r.re);
    if (!m) continue;
    return { name: r.to(m), ...relayout(r.layout, shape, data) };
  }
  throw new Error(
    `hf import: "${name}" is not a SegFormer parameter name this importer knows (see REFERENCE §2.2).`,
  );
}

function relayout(
  layout: Layout,
  shape: number[],
  data: Float32Array,
): { shape: number[]; data: Float32Array } {
  if (layout === 'same') return { shape, data };
  if (layout === 'pointwise') return { shape: [shape[0], shape[1]], data };
  if (layout === 'dw') {
    // [C, 1, kh, kw] → [kh, kw, C]
    const [c, , kh, kw] = shape;
    const out = new Float32Array(data.length);
    for (let ch = 0; ch < c; ch++) for (let i = 0; i < kh * kw; i++) out[i * c + ch] = data[ch * kh * kw + i];
    return { shape: [kh, kw, c], data: out };
  }
  // conv: [O, I, kh, kw] → [O, kh, kw, I]
  const [o, ci, kh, kw] = shape;
  const out = new Float32Array(data.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < ci; b++) {
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          out[((a * kh + y) * kw + x) * ci + b] = data[((a * ci + b) * kh + y) * kw + x];
    }
  }
  return { shape: [o, kh, kw, ci], data: out };
}

/** The inverse of mapHfTensor over a whole model (our tensors → HF names and layouts). */
export function toHfTensors(model: SegFormer): Map<string, StTensor> {
  const out = new Map<string, StTensor>();
  for (const [name, t] of model.namedTensors()) {
    const v = Float32Array.from(t.backend.view(t.storage).subarray(0, t.size));
    const s = [...t.shape];
    let m: RegExpMatchArray | null;
    const put = (n: string, shape: number[], data: Float32Array) => out.set(n, { dtype: 'F32', shape, data });
    if (
      (m = name.match(/^stages\.(\d)\.embed\.proj\.weight$/)) ||
      (m = name.match(/^stages\.(\d)\.blocks\.(\d+)\.attn\.sr\.weight$/))
    ) {
      const [o, kh, kw, ci] = s;
      const d = new Float32Array(v.length);
      for (let a = 0; a < o; a++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let b = 0; b < ci; b++)
              d[((a * ci + b) * kh + y) * kw + x] = v[((a * kh + y) * kw + x) * ci + b];
      put(hfName(name), [o, ci, kh, kw], d);
    } else if (/ffn\.dw\.weight$/.test(name)) {
      const [kh, kw, c] = s;
      const d = new Float32Array(v.length);
      for (let ch = 0; ch < c; ch++) for (let i = 0; i < kh * kw; i++) d[ch * kh * kw + i] = v[i * c + ch];
      put(hfName(name), [c, 1, kh, kw], d);
    } else if (name === 'head.fuse.weight' || name === 'head.cls.weight') {
      put(hfName(name), [...s, 1, 1], v);
    } else put(hfName(name), s, v);
  }
  return out;
}

function hfName(ours: string): string {
  const probe = (hf: string, shape: number[]) => {
    try {
      return mapHfTensor(hf, shape, new Float32Array(0))?.name === ours;
    } catch {
      return false;
    }
  };
  const candidates = hfCandidates(ours);
  const hit = candidates.find((c) => probe(c, [1, 1, 1, 1]));
  if (!hit) throw new Error(`hf export: no Hugging Face name for "${ours}".`);
  return hit;
}

function hfCandidates(ours: string): string[] {
  const p = ours.split('.');
  const last = p[p.length - 1];
  const hfLast =
    ({ runningMean: 'running_mean', runningVar: 'running_var' } as Record<string, string>)[last] ?? last;
  const enc = 'segformer.encoder';
  const out: string[] = [];
  if (p[0] === 'stages') {
    const [i, sub] = [p[1], p[2]];
    if (sub === 'embed')
      out.push(`${enc}.patch_embeddings.${i}.${p[3] === 'norm' ? 'layer_norm' : 'proj'}.${last}`);
    else if (sub === 'norm') out.push(`${enc}.layer_norm.${i}.${last}`);
    else {
      const j = p[3];
      const rest = p.slice(4, -1).join('.');
      const map: Record<string, string> = {
        norm1: 'layer_norm_1',
        norm2: 'layer_norm_2',
        'attn.q': 'attention.self.query',
        'attn.k': 'attention.self.key',
        'attn.v': 'attention.self.value',
        'attn.sr': 'attention.self.sr',
        'attn.srNorm': 'attention.self.layer_norm',
        'attn.proj': 'attention.output.dense',
        'ffn.fc1': 'mlp.dense1',
        'ffn.fc2': 'mlp.dense2',
        'ffn.dw': 'mlp.dwconv.dwconv',
      };
      out.push(`${enc}.block.${i}.${j}.${map[rest]}.${last}`);
    }
  } else if (p[0] === 'head') {
    const map: Record<string, string> = { fuse: 'linear_fuse', bn: 'batch_norm', cls: 'classifier' };
    if (p[1] === 'linearC') out.push(`decode_head.linear_c.${p[2]}.proj.${last}`);
    else out.push(`decode_head.${map[p[1]]}.${hfLast}`);
  }
  return out;
}

/** Load a Hugging Face SegFormer safetensors file into `model` (same architecture and class count). */
export function loadHfSegformer(model: SegFormer, path: string): void {
  const { tensors } = readSafetensorsFile(path);
  const ours = new Map<string, Tensor>(model.namedTensors());
  const seen = new Set<string>();
  for (const [hf, t] of tensors) {
    if (t.dtype !== 'F32')
      throw new Error(
        `file: ${path}: "${hf}" is ${t.dtype}. Expected F32 (convert half-precision checkpoints first).`,
      );
    const mapped = mapHfTensor(hf, t.shape, t.data as Float32Array);
    if (!mapped) continue;
    const dst = ours.get(mapped.name);
    if (!dst)
      throw new Error(
        `file: ${path}: "${hf}" maps to "${mapped.name}", which this architecture does not have.`,
      );
    if (dst.shape.join(',') !== mapped.shape.join(',')) {
      throw new Error(
        `file: ${path}: "${hf}" has shape [${t.shape}] → [${mapped.shape}]. Expected [${dst.shape}] (another variant or class count?).`,
      );
    }
    dst.backend.view(dst.storage).set(mapped.data);
    seen.add(mapped.name);
  }
  const missing = [...ours.keys()].filter((n) => !seen.has(n));
  if (missing.length > 0) {
    throw new Error(
      `file: ${path}: no weights for ${missing.length} tensors, e.g. ${missing.slice(0, 3).join(', ')}.`,
    );
  }
}
