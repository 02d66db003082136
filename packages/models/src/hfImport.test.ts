import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noGrad, RefBackend, Rng, Tensor, tidy } from '@edgeseg/autograd';
import { writeSafetensorsFile } from '@edgeseg/safetensors';
import { describe, expect, it } from 'vitest';
import { archFor } from './arch.js';
import { loadHfSegformer, mapHfTensor, toHfTensors } from './hfImport.js';
import { SegFormer } from './segformer.js';

const be = new RefBackend();

describe('Hugging Face SegFormer import', () => {
  it('names and shapes match transformers’ SegformerForSemanticSegmentation for B0', () => {
    const m = new SegFormer(be, archFor('segformer-b0'), new Rng(1));
    const hf = toHfTensors(m);
    const shape = (n: string) => hf.get(n)?.shape;
    expect(shape('segformer.encoder.patch_embeddings.0.proj.weight')).toEqual([32, 3, 7, 7]);
    expect(shape('segformer.encoder.block.0.0.attention.self.sr.weight')).toEqual([32, 32, 8, 8]);
    expect(shape('segformer.encoder.block.1.1.attention.self.key.weight')).toEqual([64, 64]);
    expect(shape('segformer.encoder.block.3.0.mlp.dwconv.dwconv.weight')).toEqual([1024, 1, 3, 3]);
    expect(shape('segformer.encoder.layer_norm.2.bias')).toEqual([160]);
    expect(shape('decode_head.linear_c.3.proj.weight')).toEqual([256, 256]);
    expect(shape('decode_head.linear_fuse.weight')).toEqual([256, 1024, 1, 1]);
    expect(shape('decode_head.batch_norm.running_var')).toEqual([256]);
    expect(shape('decode_head.classifier.weight')).toEqual([19, 256, 1, 1]);
    expect(hf.has('segformer.encoder.block.3.0.attention.self.sr.weight')).toBe(false); // sr ratio 1
    m.dispose();
  });

  it('a file written with HF names and layouts loads into a fresh model that then computes the same logits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-'));
    const arch = archFor('segformer-tiny');
    const a = new SegFormer(be, arch, new Rng(1)).eval();
    writeSafetensorsFile(join(dir, 'model.safetensors'), toHfTensors(a));
    const b = new SegFormer(be, arch, new Rng(2)).eval();
    loadHfSegformer(b, join(dir, 'model.safetensors'));
    const x = Float32Array.from({ length: 2 * 32 * 64 * 3 }, (_, i) => Math.sin(i));
    const run = (m: SegFormer) =>
      tidy(() => noGrad(() => m.forward(Tensor.from(be, [2, 32, 64, 3], x)).toArray()));
    expect([...run(b)]).toEqual([...run(a)]);
  });

  it('refuses unknown names and another variant with the tensor named', () => {
    expect(() => mapHfTensor('segformer.encoder.blocks.0.weird', [1], new Float32Array(1))).toThrow(
      /not a SegFormer parameter name/,
    );
    expect(mapHfTensor('decode_head.batch_norm.num_batches_tracked', [], new Float32Array(1))).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'hf-'));
    writeSafetensorsFile(
      join(dir, 'b0.safetensors'),
      toHfTensors(new SegFormer(be, archFor('segformer-tiny'), new Rng(1))),
    );
    const other = new SegFormer(be, archFor('segformer-tiny', 5), new Rng(1));
    expect(() => loadHfSegformer(other, join(dir, 'b0.safetensors'))).toThrow(
      /decode_head\.classifier\.(weight|bias)" has shape \[19(,64,1,1)?\].*Expected \[5(,64)?\]/,
    );
  });
});
