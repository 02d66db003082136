// attentionMaps.ts — what a SegFormer attends to, for the report's before/after figure: the first
// attention layer of an encoder stage is probed during one forward pass, its scores recomputed in
// f64 (softmax over keys, mean over heads) for one query pixel, and the attention every key position
// receives from all queries. Keys sit on the spatially reduced grid (h/R × w/R), so maps are coarse
// at stage 1 by construction, as in the model itself.
import { noGrad, type Tensor, tidy } from '@edgeseg/autograd';
import type { AttentionProbe, SegFormer } from '@edgeseg/models';

export interface StageAttention {
  stage: number;
  /** Key grid. */
  height: number;
  width: number;
  /** Softmax row of the query pixel, mean over heads (height × width). */
  query: Float32Array;
  /** Mean attention each key receives over all queries and heads (height × width). */
  received: Float32Array;
}

function scores(
  a: Parameters<AttentionProbe>[0],
  queryToken: number,
): { query: Float32Array; received: Float32Array } {
  const q = a.q.backend.view(a.q.storage);
  const k = a.k.backend.view(a.k.storage);
  const n = a.h * a.w;
  const m = a.kh * a.kw;
  const inner = a.heads * a.headDim;
  const scale = 1 / Math.sqrt(a.headDim);
  const query = new Float64Array(m);
  const received = new Float64Array(m);
  const row = new Float64Array(m);
  for (let h = 0; h < a.heads; h++) {
    const off = h * a.headDim;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let d = 0; d < a.headDim; d++) s += q[i * inner + off + d] * k[j * inner + off + d];
        row[j] = s * scale;
        if (row[j] > max) max = row[j];
      }
      let sum = 0;
      for (let j = 0; j < m; j++) {
        row[j] = Math.exp(row[j] - max);
        sum += row[j];
      }
      for (let j = 0; j < m; j++) {
        const p = row[j] / sum;
        received[j] += p / (n * a.heads);
        if (i === queryToken) query[j] += p / a.heads;
      }
    }
  }
  return { query: Float32Array.from(query), received: Float32Array.from(received) };
}

/**
 * Attention of the first block with attention in each requested stage, for image `x` [1, H, W, 3]
 * and the query pixel (qx, qy) in image coordinates. Stages whose every head was cut are skipped.
 */
export function attentionMaps(
  model: SegFormer,
  x: Tensor,
  stages: number[],
  query: { x: number; y: number },
): StageAttention[] {
  if (x.shape[0] !== 1)
    throw new Error(`attentionMaps: one image at a time. Expected batch 1, got ${x.shape[0]}.`);
  const [, H, W] = x.shape;
  const out: StageAttention[] = [];
  const attns = stages.map((s) => {
    const st = model.stages[s - 1];
    if (!st) throw new Error(`attentionMaps: no stage ${s}. Expected 1..${model.stages.length}.`);
    return { s, attn: st.blocks.find((b) => b.attn)?.attn ?? null };
  });
  const wasTraining = model.training;
  model.eval();
  try {
    tidy(() =>
      noGrad(() => {
        for (const { s, attn } of attns) {
          if (!attn) continue;
          attn.probe = (a) => {
            const qy = Math.min(a.h - 1, Math.floor((query.y * a.h) / H));
            const qx = Math.min(a.w - 1, Math.floor((query.x * a.w) / W));
            out.push({ stage: s, height: a.kh, width: a.kw, ...scores(a, qy * a.w + qx) });
          };
        }
        model.forward(x);
      }),
    );
  } finally {
    for (const { attn } of attns) if (attn) attn.probe = null;
    model.train(wasTraining);
  }
  return out.sort((a, b) => a.stage - b.stage);
}
