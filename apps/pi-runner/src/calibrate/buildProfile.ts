// buildProfile.ts — measured kernel rates and power to an EnergyProfile (the format parseProfile reads).
//
//   macsPerSecond[p]    harmonic mean of the GEMM shapes' rates (the rate of equal work at each shape)
//   dramBytesPerSecond  bytes read + written per second by quantize over a 20 MiB stream
//   e_mac[p] (pJ)       (P_load − P_idle) / rate, averaged over the shapes — with a power sensor only
//   opPj                the same for softmax at 5 fp32 ops per element
//   bytePj.dram/onChip  the same for quantize beyond / within the cache: an upper bound, since the
//                       conversion's arithmetic is charged to the bytes too
//   staticW             P_idle, the board's power with the runner loaded and idle
//   cacheBytes          the largest CPU cache sysfs lists
// Whatever cannot be measured (no sensor, or a load that did not rise above idle) is taken from the board's
// estimate (estimates.ts) and the profile's `sources` say which fields those are.
import type { EnergyProfile, KernelMeasurement } from '@edgeseg/runtime';
import type { Device } from '../device.js';
import { ESTIMATES } from '../estimates.js';
import { type KernelCase, SOFTMAX_OPS_PER_ELEMENT } from './kernelCases.js';

export interface CaseResult {
  case: KernelCase;
  /** Median wall time of one call (over threads), seconds. */
  medianCallS: number;
  /** Work per second summed over threads, in case.unit. */
  rate: number;
  /** Mean power over the timing window, when a sensor measured it. */
  watts?: number;
}

export interface CalibrationResult {
  device: Device;
  threads: number;
  /** The sensor used, or 'estimate' when there was none. */
  energySource: string;
  /** Mean power with nothing running, when a sensor measured it. */
  idleW?: number;
  cases: CaseResult[];
  /** The largest CPU cache, from sysfs. */
  cacheBytes?: number;
  /** Why there is no sensor, when there is none. */
  sensorNote?: string;
  /** The sensors tried and not available, and why. */
  unavailable?: { source: string; reason: string }[];
}

/** Smallest power rise over idle (W) taken as a measurement: the INA3221 and RAPL resolve milliwatts. */
const MIN_RISE_W = 0.01;

const harmonic = (xs: number[]) => (xs.length === 1 ? xs[0] : xs.length / xs.reduce((a, x) => a + 1 / x, 0));

export function buildProfile(r: CalibrationResult, name: string, date: string): EnergyProfile {
  const est = ESTIMATES[r.device.board];
  const estName = r.device.board === 'other' ? 'horowitz-45nm (unknown board)' : est.name;
  const sources: string[] = [];
  const of = (kernel: KernelCase['kernel'], only?: string) =>
    r.cases.filter((c) => c.case.kernel === kernel && (!only || c.case.name === only));
  const rateOf = (kernel: KernelCase['kernel'], only?: string) => {
    const cs = of(kernel, only);
    return cs.length > 0 ? harmonic(cs.map((c) => c.rate)) : undefined;
  };
  /** pJ per unit of work from the power rise over idle, or undefined when it cannot be measured. */
  const pj = (kernel: KernelCase['kernel'], perWork: number, only?: string) => {
    if (r.idleW === undefined) return undefined;
    // A rise under MIN_RISE_W is no rise: a flat rail integrates to the idle figure give or take
    // floating-point rounding, and a 1e-12 W "rise" would price a MAC at almost nothing.
    const vals = of(kernel, only).map((c) =>
      c.watts !== undefined && c.watts - r.idleW! >= MIN_RISE_W
        ? ((c.watts - r.idleW!) / (c.rate * perWork)) * 1e12
        : Number.NaN,
    );
    if (vals.length === 0 || vals.some((v) => !(v > 0))) return undefined;
    return vals.reduce((a, b) => a + b, 0) / vals.length;
  };
  const pick = (field: string, measured: number | undefined, estimate: number, how: string) => {
    if (measured !== undefined) {
      sources.push(`${field}: measured, ${how}`);
      return measured;
    }
    sources.push(`${field}: estimate from ${estName}`);
    return estimate;
  };
  const sensor = r.idleW !== undefined ? ` with ${r.energySource}` : '';
  const i8Rate = rateOf('gemm_i8');
  const f32Rate = rateOf('gemm_f32');
  const macI8 = pick(
    'macPj.int8',
    pj('gemm_i8', 1),
    est.macPj.int8,
    `(P_load − P_idle)/rate of gemm_i8${sensor}`,
  );
  const macF32 = pick(
    'macPj.fp32',
    pj('gemm_f32', 1),
    est.macPj.fp32,
    `(P_load − P_idle)/rate of gemm_f32${sensor}`,
  );
  sources.push('macPj.fp16: = macPj.fp32 (WASM has no fp16 arithmetic: fp16 runs as fp32)');
  const profile: EnergyProfile = {
    name,
    description: `Measured by edgeseg-run calibrate on ${r.device.name} with ${r.threads} thread(s); energy from ${r.energySource}.`,
    sources,
    macPj: { int8: macI8, fp16: macF32, fp32: macF32 },
    opPj: pick(
      'opPj',
      pj('softmax_f32', SOFTMAX_OPS_PER_ELEMENT),
      est.opPj,
      `softmax_f32 at ${SOFTMAX_OPS_PER_ELEMENT} ops/element${sensor}`,
    ),
    bytePj: {
      dram: pick(
        'bytePj.dram',
        pj('quantize_f32_i8', 1, 'quantize_dram'),
        est.bytePj.dram,
        `quantize over 20 MiB${sensor} (upper bound: includes the conversion)`,
      ),
      onChip: pick(
        'bytePj.onChip',
        pj('quantize_f32_i8', 1, 'quantize_cache'),
        est.bytePj.onChip,
        `quantize within the cache${sensor} (upper bound)`,
      ),
    },
    cacheBytes: pick('cacheBytes', r.cacheBytes, est.cacheBytes, 'largest CPU cache in sysfs'),
    staticW: pick('staticW', r.idleW, est.staticW, `idle power${sensor}`),
    macsPerSecond: {
      int8: pick('macsPerSecond.int8', i8Rate, est.macsPerSecond.int8, 'gemm_i8 at SegFormer-B0 shapes'),
      fp32: pick('macsPerSecond.fp32', f32Rate, est.macsPerSecond.fp32, 'gemm_f32 at SegFormer-B0 shapes'),
    },
    dramBytesPerSecond: pick(
      'dramBytesPerSecond',
      rateOf('quantize_f32_i8', 'quantize_dram'),
      est.dramBytesPerSecond,
      'quantize over 20 MiB',
    ),
    calibrated: {
      device: r.device.name,
      date,
      threads: r.threads,
      energySource: r.energySource,
      measurements: r.cases.map((c): KernelMeasurement => {
        const m: KernelMeasurement = {
          kernel: c.case.kernel,
          shape: c.case.shape,
          seconds: c.medianCallS,
          rate: c.rate,
          unit: `${c.case.unit}/s`,
        };
        if (c.watts !== undefined) m.watts = c.watts;
        return m;
      }),
    },
  };
  if (r.sensorNote) sources.push(`no power sensor: ${r.sensorNote}`);
  return profile;
}
