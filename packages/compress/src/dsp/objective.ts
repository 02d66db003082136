// objective.ts — what a unit costs for the Energy-Complexity loss: its modelled energy on the target
// device (the paper's objective), or, for comparison, its MACs (FLOPs-only, as most pruning tools)
// or its parameters (params-only).
import { type SegFormerArch, segformerCost } from '@edgeseg/models';
import { modelEnergy } from '../energy/energyModel.js';
import type { EnergyProfile, Precision } from '../energy/profile.js';

export type ObjectiveKind = 'energy' | 'flops' | 'params';

export interface Objective {
  kind: ObjectiveKind;
  /** Cost of each unit, by the cost model's unit id. */
  unitCost: Map<string, number>;
  fixed: number;
  /** fixed + Σ units: the cost of this architecture with every unit open. */
  total: number;
  /** pJ, MACs or parameters. */
  unit: string;
}

export function objectiveFor(
  arch: SegFormerArch,
  size: [number, number],
  kind: ObjectiveKind,
  profile: EnergyProfile,
  precision: Precision,
): Objective {
  if (kind === 'energy') {
    const e = modelEnergy(arch, size[0], size[1], profile, precision);
    return {
      kind,
      unitCost: new Map(e.units.map((u) => [u.id, u.energyPj])),
      fixed: e.fixedPj,
      total: e.total.totalPj,
      unit: 'pJ',
    };
  }
  const c = segformerCost(arch, size[0], size[1]);
  const pick = (x: { macs: number; params: number }) => (kind === 'flops' ? x.macs : x.params);
  return {
    kind,
    unitCost: new Map(c.units.map((u) => [u.id, pick(u)])),
    fixed: pick(c.fixed),
    total: pick(c.total),
    unit: kind === 'flops' ? 'MACs' : 'params',
  };
}

/** The cost of an architecture under an objective (what a deterministic plan really costs). */
export function archCost(
  arch: SegFormerArch,
  size: [number, number],
  kind: ObjectiveKind,
  profile: EnergyProfile,
  precision: Precision,
): number {
  return objectiveFor(arch, size, kind, profile, precision).total;
}
