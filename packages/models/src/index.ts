// @edgeseg/models — SegFormer / Lite-ViT / MobileNetV3-LR-ASPP on autograd-lite, with cost accounting.
export { archFor, type BlockArch, checkArch, denseArch, type SegFormerArch } from './arch.js';
export {
  isMobileNet,
  type MbBlock,
  MOBILENET_CONFIGS,
  type MobileNetConfig,
  SEGFORMER_CONFIGS,
  type SegFormerConfig,
  segformerConfig,
} from './configs.js';
export { CountingBackend, type OpRecord } from './cost/countingBackend.js';
export {
  addCost,
  type Cost,
  type CostOptions,
  countForward,
  type ModelCost,
  paramSite,
  segformerCost,
  type UnitCost,
  type UnitKind,
  zeroCost,
} from './cost/modelCost.js';
export { loadHfSegformer, mapHfTensor, toHfTensors } from './hfImport.js';
export { InvertedResidual, LRASPPHead, MobileNetV3LRASPP } from './mobilenetv3.js';
export {
  type AttentionProbe,
  Block,
  EfficientAttention,
  GROUP,
  gateGroups,
  MixFFN,
  OverlapPatchEmbed,
  SegFormer,
  SegFormerHead,
  Stage,
} from './segformer.js';
export { currentSite, site } from './site.js';
