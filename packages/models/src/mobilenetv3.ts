// mobilenetv3.ts — MobileNetV3-Large/Small (Howard et al., ICCV 2019) with the LR-ASPP segmentation
// head, as torchvision builds them: a dilated last stage (output stride 16), squeeze-and-excite of
// width make_divisible(exp/4, 8), BN after every conv, hardswish/ReLU per block. Channels-last;
// 1×1 convs are Linear layers (no im2col). The paper's CNN baseline against the compressed
// transformer.
import {
  type Backend,
  BatchNorm,
  Conv2d,
  DWConv2d,
  Linear,
  Module,
  ops,
  type Rng,
  type Tensor,
} from '@edgeseg/autograd';
import type { MbBlock, MobileNetConfig } from './configs.js';
import { site } from './site.js';

function makeDivisible(v: number, divisor = 8): number {
  const n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return n < 0.9 * v ? n + divisor : n;
}

const act = (x: Tensor, a: 'relu' | 'hardswish') => (a === 'relu' ? x.relu() : x.hardswish());

class SqueezeExcite extends Module {
  fc1: Linear;
  fc2: Linear;
  constructor(be: Backend, c: number, rng: Rng) {
    super();
    const sq = makeDivisible(c / 4);
    this.fc1 = new Linear(be, c, sq, rng);
    this.fc2 = new Linear(be, sq, c, rng);
  }
  forward(x: Tensor): Tensor {
    const s = this.fc2.forward(this.fc1.forward(x.mean([1, 2], true)).relu()).hardsigmoid();
    return x.mul(s);
  }
}

export class InvertedResidual extends Module {
  expand: Linear | null;
  expandBn: BatchNorm | null;
  dw: DWConv2d;
  dwBn: BatchNorm;
  se: SqueezeExcite | null;
  project: Linear;
  projectBn: BatchNorm;
  constructor(
    be: Backend,
    readonly inC: number,
    readonly b: MbBlock,
    readonly stride: number,
    dilation: number,
    rng: Rng,
  ) {
    super();
    this.expand = b.exp !== inC ? new Linear(be, inC, b.exp, rng, false) : null;
    this.expandBn = this.expand ? new BatchNorm(be, b.exp, 1e-3, 0.01) : null;
    this.dw = new DWConv2d(be, b.exp, b.k, stride, rng, false, dilation);
    this.dwBn = new BatchNorm(be, b.exp, 1e-3, 0.01);
    this.se = b.se ? new SqueezeExcite(be, b.exp, rng) : null;
    this.project = new Linear(be, b.exp, b.out, rng, false);
    this.projectBn = new BatchNorm(be, b.out, 1e-3, 0.01);
  }
  forward(x: Tensor): Tensor {
    let y = x;
    if (this.expand && this.expandBn) y = act(this.expandBn.forward(this.expand.forward(y)), this.b.act);
    y = act(this.dwBn.forward(this.dw.forward(y)), this.b.act);
    if (this.se) y = this.se.forward(y);
    y = this.projectBn.forward(this.project.forward(y));
    return this.stride === 1 && this.inC === this.b.out ? y.add(x) : y;
  }
}

export class LRASPPHead extends Module {
  cbr: Linear;
  cbrBn: BatchNorm;
  scale: Linear;
  lowCls: Linear;
  highCls: Linear;
  constructor(be: Backend, lowC: number, highC: number, inner: number, classes: number, rng: Rng) {
    super();
    this.cbr = new Linear(be, highC, inner, rng, false);
    this.cbrBn = new BatchNorm(be, inner);
    this.scale = new Linear(be, highC, inner, rng, false);
    this.lowCls = new Linear(be, lowC, classes, rng);
    this.highCls = new Linear(be, inner, classes, rng);
  }
  forward(low: Tensor, high: Tensor): Tensor {
    const x = this.cbrBn.forward(this.cbr.forward(high)).relu();
    const s = this.scale.forward(high.mean([1, 2], true)).sigmoid();
    const up = ops.resize(x.mul(s), low.shape[1], low.shape[2]);
    return this.lowCls.forward(low).add(this.highCls.forward(up));
  }
}

export class MobileNetV3LRASPP extends Module {
  stem: Conv2d;
  stemBn: BatchNorm;
  blocks: InvertedResidual[];
  last: Linear;
  lastBn: BatchNorm;
  head: LRASPPHead;
  constructor(
    be: Backend,
    readonly config: MobileNetConfig,
    rng: Rng,
  ) {
    super();
    this.stem = new Conv2d(be, 3, 16, 3, 2, 1, rng, false);
    this.stemBn = new BatchNorm(be, 16, 1e-3, 0.01);
    let inC = 16;
    this.blocks = config.blocks.map((b, i) => {
      // Dilated tail: the last stage keeps resolution (stride 1) and dilates its depthwise convs.
      const dilated = i >= config.lastStageStart;
      const blk = new InvertedResidual(be, inC, b, dilated ? 1 : b.stride, dilated ? 2 : 1, rng);
      inC = b.out;
      return blk;
    });
    this.last = new Linear(be, inC, config.lastConv, rng, false);
    this.lastBn = new BatchNorm(be, config.lastConv, 1e-3, 0.01);
    const lowC = config.blocks[config.lowIndex].out;
    this.head = new LRASPPHead(be, lowC, config.lastConv, config.asppDim, config.classes, rng);
  }
  /** Images [B, H, W, 3] → logits [B, H/8, W/8, classes]. */
  forward(x: Tensor): Tensor {
    let y = site('stem', () => this.stemBn.forward(this.stem.forward(x)).hardswish());
    let low: Tensor | null = null;
    this.blocks.forEach((b, i) => {
      y = site(`block${i}`, () => b.forward(y));
      if (i === this.config.lowIndex) low = y;
    });
    const high = site('last', () => this.lastBn.forward(this.last.forward(y)).hardswish());
    return site('head', () => this.head.forward(low!, high));
  }
}
