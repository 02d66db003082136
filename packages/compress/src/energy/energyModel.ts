// energyModel.ts — energy per frame of a model on a device profile (DESIGN §3.3; Yang, Chen & Sze,
// CVPR 2017): compute (MACs × e_mac at the precision, other ops × e_op) + data movement (bytes ×
// e_byte at the memory level each tensor lives in) + static power × modelled latency.
//
// Weights are read from DRAM once per use. An activation tensor stays on chip when it fits in the
// profile's cache, else it goes through DRAM — which is where attention's N×Nk score matrices land
// at high resolution (the paper's "memory wall"); scores stay f32 at every precision because the
// INT8 runtime runs softmax in f32. Latency = compute time + DRAM time (no overlap assumed).
//
// Every term is linear in the cost counters, so the energy of the whole model equals the energy
// of the fixed part plus the energies of the prunable units, exactly.
import { type Cost, type ModelCost, type SegFormerArch, segformerCost, type UnitCost } from '@edgeseg/models';
import type { EnergyProfile, Precision } from './profile.js';

export interface EnergyBreakdown {
  computePj: number;
  weightPj: number;
  activationPj: number;
  attentionPj: number;
  staticPj: number;
  totalPj: number;
  latencyS: number;
}

const WEIGHT_BYTES: Record<Precision, number> = { fp32: 4, int8: 1 };
export const ACT_BYTES: Record<Precision, number> = { fp32: 4, int8: 1 };
const SCORE_BYTES = 4;

export function costEnergy(c: Cost, p: EnergyProfile, prec: Precision): EnergyBreakdown {
  const ab = ACT_BYTES[prec];
  const wb = WEIGHT_BYTES[prec];
  const act = c.actElems - c.attnElems;
  const actDram = c.actDramElems - c.attnDramElems;
  const computePj = c.macs * p.macPj[prec] + c.flops * p.opPj;
  const weightPj = c.weightElems * wb * p.bytePj.dram;
  const activationPj = ab * ((act - actDram) * p.bytePj.onChip + actDram * p.bytePj.dram);
  const attentionPj =
    SCORE_BYTES * ((c.attnElems - c.attnDramElems) * p.bytePj.onChip + c.attnDramElems * p.bytePj.dram);
  const dramBytes = c.weightElems * wb + actDram * ab + c.attnDramElems * SCORE_BYTES;
  const latencyS = c.macs / p.macsPerSecond[prec] + dramBytes / p.dramBytesPerSecond;
  const staticPj = p.staticW * latencyS * 1e12;
  return {
    computePj,
    weightPj,
    activationPj,
    attentionPj,
    staticPj,
    totalPj: computePj + weightPj + activationPj + attentionPj + staticPj,
    latencyS,
  };
}

export interface UnitEnergy {
  id: string;
  kind: UnitCost['kind'];
  stage: number;
  block: number;
  index: number;
  energyPj: number;
  macs: number;
  params: number;
}

export interface ModelEnergy {
  profile: string;
  precision: Precision;
  height: number;
  width: number;
  /** Energy of one frame in millijoules. */
  energyMj: number;
  latencyMs: number;
  total: EnergyBreakdown;
  stages: { name: string; energyMj: number; macs: number; params: number }[];
  units: UnitEnergy[];
  fixedPj: number;
  cost: ModelCost;
}

/** Energy per frame of `arch` at height×width on `profile`. */
export function modelEnergy(
  arch: SegFormerArch,
  height: number,
  width: number,
  profile: EnergyProfile,
  precision: Precision,
): ModelEnergy {
  const cost = segformerCost(arch, height, width, 1, {
    cacheElems: profile.cacheBytes / ACT_BYTES[precision],
  });
  const total = costEnergy(cost.total, profile, precision);
  return {
    profile: profile.name,
    precision,
    height,
    width,
    energyMj: total.totalPj * 1e-9,
    latencyMs: total.latencyS * 1e3,
    total,
    stages: cost.stages.map((s) => ({
      name: s.name,
      energyMj: costEnergy(s.cost, profile, precision).totalPj * 1e-9,
      macs: s.cost.macs,
      params: s.cost.params,
    })),
    units: cost.units.map((u) => ({
      id: u.id,
      kind: u.kind,
      stage: u.stage,
      block: u.block,
      index: u.index,
      energyPj: costEnergy(u, profile, precision).totalPj,
      macs: u.macs,
      params: u.params,
    })),
    fixedPj: costEnergy(cost.fixed, profile, precision).totalPj,
    cost,
  };
}
