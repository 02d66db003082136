// model.ts — MODELLED energy, for hosts without a usable sensor (or --power model). Deliberately simple,
// because all the model file tells us is the network's MACs, parameter count and precision:
//
//   E_window = frames · (MACs · e_mac[precision] + weightBytes · e_byte[DRAM]) + P_static · t_window
//
// with weightBytes = params × (1 for int8, 4 for fp32) — every weight read once from DRAM per frame —
// e_mac, e_byte and P_static from an energy profile (--profile FILE, e.g. written by `edgeseg-run
// calibrate`; else a documented estimate for the board) and t_window the measured wall time. Activation
// traffic is not counted (the per-layer costs are not in the file), so it is a lower bound for the
// dynamic part; the compress energy model (`edgeseg energy`) has the per-layer version.
import type { EnergyProfile, ModelInfo } from '@edgeseg/runtime';
import type { EnergyMeter, EnergyWindow } from './meter.js';

const WEIGHT_BYTES = { int8: 1, fp32: 4 } as const;

/** 3.72 M, 1.20 G … for descriptions. */
function si(n: number): string {
  for (const [v, u] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (n >= v) return `${(n / v).toFixed(2)} ${u}`;
  }
  return `${n} `;
}

/** Dynamic energy of one frame in joules, and its parts. */
export function modelledFrameJoules(
  info: Pick<ModelInfo, 'macs' | 'params' | 'precision'>,
  p: EnergyProfile,
): { computeJ: number; weightsJ: number; totalJ: number } {
  const computeJ = info.macs * p.macPj[info.precision] * 1e-12;
  const weightsJ = info.params * WEIGHT_BYTES[info.precision] * p.bytePj.dram * 1e-12;
  return { computeJ, weightsJ, totalJ: computeJ + weightsJ };
}

export class ModelMeter implements EnergyMeter {
  readonly source = 'model' as const;
  readonly measured = false;
  readonly what: string;
  readonly caveat: string;
  private t0 = 0;

  constructor(
    private readonly info: Pick<ModelInfo, 'macs' | 'params' | 'precision' | 'macsNote'>,
    readonly profile: EnergyProfile,
    private readonly now: () => number,
    profileOrigin: string,
  ) {
    this.caveat =
      'modelled, not measured: MACs and weight reads at the profile, plus static power × wall time' +
      (info.macs > 0 ? '' : '; the model file records no MAC count, so compute energy is missing') +
      (info.macsNote ? `; MACs: ${info.macsNote}` : '');
    const e = profile.macPj[info.precision];
    this.what =
      `profile ${profile.name} (${profileOrigin}): ${si(info.macs)}MAC × ${e.toPrecision(3)} pJ + ` +
      `${si(info.params * WEIGHT_BYTES[info.precision])}B of weights × ${profile.bytePj.dram.toPrecision(3)} pJ/B + ` +
      `${profile.staticW} W static × time`;
  }

  async start(): Promise<void> {
    this.t0 = this.now();
  }

  async poll(): Promise<void> {}

  async stop(work: { frames: number }): Promise<EnergyWindow> {
    const seconds = (this.now() - this.t0) / 1000;
    const joules =
      work.frames * modelledFrameJoules(this.info, this.profile).totalJ + this.profile.staticW * seconds;
    return { joules, seconds, watts: seconds > 0 ? joules / seconds : 0, samples: 0 };
  }
}
