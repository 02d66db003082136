// energyProfile.ts — the energy profile format (DESIGN §3.3): what a device charges for arithmetic and
// memory traffic. It lives here, under the runner, because `edgeseg-run calibrate` writes it on the board
// and the runner reads it for modelled energy; the energy model and the built-in profiles stay in
// @edgeseg/compress, which re-exports these. Profile files are untrusted input, validated field by field.

export interface EnergyProfile {
  name: string;
  description: string;
  sources: string[];
  /** pJ per multiply-accumulate at each precision (multiply + accumulate-width add). */
  macPj: { int8: number; fp16: number; fp32: number };
  /** pJ per other arithmetic op (elementwise, normalization, softmax) — run in fp32 at every precision. */
  opPj: number;
  /** pJ per byte moved from DRAM and within the on-chip caches. */
  bytePj: { dram: number; onChip: number };
  /** Tensors up to this many bytes stay on chip between ops; larger ones go through DRAM. */
  cacheBytes: number;
  /** Power drawn regardless of the work (board idle), charged over the modelled latency. */
  staticW: number;
  /** Sustained throughput for the latency estimate (all cores the runner uses). */
  macsPerSecond: { int8: number; fp32: number };
  dramBytesPerSecond: number;
  /** Present in profiles measured by `edgeseg-run calibrate`. */
  calibrated?: CalibrationRecord;
}

/** How and where a profile was measured. */
export interface CalibrationRecord {
  /** Board or CPU name, e.g. "Raspberry Pi 5 Model B Rev 1.0". */
  device: string;
  /** ISO 8601 date of the measurement. */
  date: string;
  threads: number;
  /** Where the energy figures came from: a sensor (ina3221, vcgencmd, rapl) or "estimate". */
  energySource: string;
  /** The per-kernel timings behind the profile (optional). */
  measurements?: KernelMeasurement[];
}

export interface KernelMeasurement {
  /** Kernel family and what it computed, e.g. "gemm_i8". */
  kernel: string;
  /** The problem, e.g. "M×N×K = 4096×256×64". */
  shape: string;
  /** Wall time of one call (median), seconds. */
  seconds: number;
  /** Work per second in `unit` (MAC/s, element/s, byte/s). */
  rate: number;
  unit: string;
  /** Mean power over the timing window, when a sensor measured it. */
  watts?: number;
}

/** Validate a profile read from JSON; errors name the file and the field. */
export function parseProfile(text: string, file: string): EnergyProfile {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${file}: not JSON (${(e as Error).message}). Expected an energy profile written by edgeseg-run calibrate.`,
    );
  }
  const p = j as Record<string, unknown>;
  const num = (path: string, v: unknown, allowZero = false) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0) || v > 1e15) {
      throw new Error(
        `${file}: ${path} must be a finite number ${allowZero ? '≥' : '>'} 0. Got ${JSON.stringify(v)}.`,
      );
    }
    return v;
  };
  const obj = (path: string, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new Error(`${file}: ${path} must be an object. Got ${JSON.stringify(v)}.`);
    return v as Record<string, unknown>;
  };
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.name !== 'string' ||
    p.name.length === 0 ||
    p.name.length > 200
  ) {
    throw new Error(
      `${file}: expected an energy profile object with a "name". Got ${JSON.stringify(j)?.slice(0, 80)}.`,
    );
  }
  const mac = obj('macPj', p.macPj);
  const bytes = obj('bytePj', p.bytePj);
  const mps = obj('macsPerSecond', p.macsPerSecond);
  const profile: EnergyProfile = {
    name: p.name,
    description: typeof p.description === 'string' ? p.description : '',
    sources: Array.isArray(p.sources) ? p.sources.filter((s): s is string => typeof s === 'string') : [],
    macPj: {
      int8: num('macPj.int8', mac.int8),
      fp16: num('macPj.fp16', mac.fp16 ?? mac.fp32),
      fp32: num('macPj.fp32', mac.fp32),
    },
    opPj: num('opPj', p.opPj, true),
    bytePj: { dram: num('bytePj.dram', bytes.dram), onChip: num('bytePj.onChip', bytes.onChip, true) },
    cacheBytes: num('cacheBytes', p.cacheBytes),
    staticW: num('staticW', p.staticW, true),
    macsPerSecond: { int8: num('macsPerSecond.int8', mps.int8), fp32: num('macsPerSecond.fp32', mps.fp32) },
    dramBytesPerSecond: num('dramBytesPerSecond', p.dramBytesPerSecond),
  };
  if (p.calibrated !== undefined) {
    const c = obj('calibrated', p.calibrated);
    const str = (path: string, v: unknown) => {
      if (typeof v !== 'string' || v.length > 500)
        throw new Error(`${file}: ${path} must be a string. Got ${JSON.stringify(v)}.`);
      return v;
    };
    const threads = num('calibrated.threads', c.threads);
    if (!Number.isInteger(threads)) {
      throw new Error(`${file}: calibrated.threads must be an integer ≥ 1. Got ${threads}.`);
    }
    profile.calibrated = {
      device: str('calibrated.device', c.device),
      date: str('calibrated.date', c.date),
      threads,
      energySource: str('calibrated.energySource', c.energySource),
    };
    if (c.measurements !== undefined) {
      if (!Array.isArray(c.measurements) || c.measurements.length > 1000) {
        throw new Error(
          `${file}: calibrated.measurements must be an array of at most 1000 entries. Got ${JSON.stringify(c.measurements)?.slice(0, 80)}.`,
        );
      }
      profile.calibrated.measurements = c.measurements.map((m, i) => {
        const at = `calibrated.measurements[${i}]`;
        const o = obj(at, m);
        const out: KernelMeasurement = {
          kernel: str(`${at}.kernel`, o.kernel),
          shape: str(`${at}.shape`, o.shape),
          seconds: num(`${at}.seconds`, o.seconds),
          rate: num(`${at}.rate`, o.rate),
          unit: str(`${at}.unit`, o.unit),
        };
        if (o.watts !== undefined) out.watts = num(`${at}.watts`, o.watts, true);
        return out;
      });
    }
  }
  return profile;
}
