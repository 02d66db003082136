// foldBn.ts — fold the decoder's BatchNorm (eval statistics) into linear_fuse before quantization,
// as deployment does: W' = diag(a)·W, b' = shift with a = γ/√(var+ε), shift = β − mean·a. The
// folded model computes what the unfolded one computes in eval mode.
import { Rng } from '@edgeseg/autograd';
import { SegFormer } from '@edgeseg/models';

export function foldDecoderBn(model: SegFormer): SegFormer {
  const bn = model.head.bn;
  if (!bn) return model;
  const be = model.stages[0].embed.proj.weight.backend;
  const arch = { ...model.arch, decoder: { ...model.arch.decoder, bnFolded: true } };
  const next = new SegFormer(be, arch, new Rng(0));
  const src = new Map(model.namedTensors());
  for (const [name, t] of next.namedTensors()) {
    if (name.startsWith('head.fuse.')) continue;
    const s = src.get(name);
    if (!s) throw new Error(`foldDecoderBn: "${name}" has no source tensor.`);
    be.view(t.storage).set(be.view(s.storage).subarray(0, s.size));
  }
  const { scale, shift } = bn.folded();
  const a = be.view(scale.storage);
  const sh = be.view(shift.storage);
  const w = be.view(model.head.fuse.weight.storage);
  const [outC, inC] = model.head.fuse.weight.shape;
  const nw = be.view(next.head.fuse.weight.storage);
  for (let o = 0; o < outC; o++) for (let i = 0; i < inC; i++) nw[o * inC + i] = w[o * inC + i] * a[o];
  be.view(next.head.fuse.bias!.storage).set(sh.subarray(0, outC));
  scale.dispose();
  shift.dispose();
  next.train(model.training);
  return next;
}
