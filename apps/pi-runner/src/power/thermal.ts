// thermal.ts — CPU temperature and throttling, read between frames:
// - Linux thermal zones /sys/class/thermal/thermal_zone*/{type,temp} (m°C), the CPU's zone chosen by type,
//   and its lowest *passive* trip point (where the kernel starts cooling by lowering the clock);
// - cpufreq policies /sys/devices/system/cpu/cpufreq/policy*/{scaling_cur_freq,scaling_max_freq,
//   cpuinfo_max_freq} (kHz): a scaling_max_freq below cpuinfo_max_freq is a cap (thermal cooling devices
//   lower it), and a current clock that falls below 90% of the peak seen, twice in a row, is a drop;
// - on a Raspberry Pi, `vcgencmd get_throttled` (REFERENCE §3.2): bits 0–3 are the state now, bits 16–19
//   sticky since boot — a sticky bit that appears during a run means it happened during the run.
import { readSysNumber, readSysText, type SensorEnv, sysGlob } from './env.js';

export interface ZoneReading {
  zone: string;
  type: string;
  tempC: number;
  /** Lowest passive trip point, °C. */
  passiveTripC?: number;
}

export interface FreqReading {
  /** Highest current clock over the cpufreq policies, MHz. */
  curMHz: number;
  /** Lowest scaling limit over the policies, MHz. */
  limitMHz: number;
  /** Hardware maximum, MHz. */
  maxMHz: number;
}

export interface PiThrottle {
  raw: number;
  now: string[];
  sinceBoot: string[];
}

export interface ThermalReading {
  cpu?: ZoneReading;
  freq?: FreqReading;
  pi?: PiThrottle;
  /** Throttling (or a condition that causes it) right now. */
  throttled: boolean;
  reasons: string[];
}

export const THROTTLE_BITS: Record<number, string> = {
  0: 'under-voltage',
  1: 'ARM frequency capped',
  2: 'throttled',
  3: 'soft temperature limit',
};

/** Decodes `throttled=0x50005`. */
export function parseThrottled(text: string): PiThrottle | undefined {
  const m = /throttled=(0x[0-9a-fA-F]+|\d+)/.exec(text);
  if (!m) return undefined;
  const raw = Number(m[1]);
  const now: string[] = [];
  const sinceBoot: string[] = [];
  for (const [bit, name] of Object.entries(THROTTLE_BITS)) {
    if (raw & (1 << Number(bit))) now.push(name);
    if (raw & (1 << (Number(bit) + 16))) sinceBoot.push(name);
  }
  return { raw, now, sinceBoot };
}

const CPU_ZONE_TYPES = ['cpu-thermal', 'cpu_thermal', 'x86_pkg_temp', 'tj-thermal', 'soc_thermal', 'acpitz'];

export class ThermalMonitor {
  private peakMHz = 0;
  private lowBefore = false;
  private baselineSticky: Set<string> | undefined;

  private constructor(
    private readonly env: SensorEnv,
    private readonly zone: { dir: string; type: string; passiveTripC?: number } | undefined,
    private readonly policies: string[],
    private usePi: boolean,
  ) {}

  /** Finds the CPU zone, the cpufreq policies and vcgencmd; what is missing is simply not reported. */
  static async open(env: SensorEnv): Promise<ThermalMonitor> {
    const zones: { dir: string; type: string }[] = [];
    for (const dir of await sysGlob(env, '/sys/class/thermal/thermal_zone*')) {
      try {
        zones.push({ dir, type: await readSysText(env, `${dir}/type`) });
      } catch {}
    }
    const rank = (t: string) => {
      const i = CPU_ZONE_TYPES.indexOf(t);
      return i < 0 ? CPU_ZONE_TYPES.length : i;
    };
    zones.sort((a, b) => rank(a.type) - rank(b.type));
    let zone: { dir: string; type: string; passiveTripC?: number } | undefined = zones[0];
    if (zone) {
      let trip: number | undefined;
      for (const f of await sysGlob(env, `${zone.dir}/trip_point_*_type`)) {
        try {
          if ((await readSysText(env, f)) !== 'passive') continue;
          const t = (await readSysNumber(env, f.replace(/_type$/, '_temp'))) / 1000;
          if (t > 0 && (trip === undefined || t < trip)) trip = t;
        } catch {}
      }
      zone = { ...zone, passiveTripC: trip };
    }
    const policies = await sysGlob(env, '/sys/devices/system/cpu/cpufreq/policy*');
    let usePi = false;
    try {
      usePi = parseThrottled(await env.exec('vcgencmd', ['get_throttled'])) !== undefined;
    } catch {
      // no vcgencmd (not a Pi) or no access to /dev/vcio: the Linux signals still apply
    }
    return new ThermalMonitor(env, zone, policies, usePi);
  }

  get available(): boolean {
    return this.zone !== undefined || this.policies.length > 0 || this.usePi;
  }

  private async readFreq(): Promise<FreqReading | undefined> {
    let cur = 0;
    let limit = Infinity;
    let max = 0;
    for (const p of this.policies) {
      try {
        cur = Math.max(cur, (await readSysNumber(this.env, `${p}/scaling_cur_freq`)) / 1000);
        limit = Math.min(limit, (await readSysNumber(this.env, `${p}/scaling_max_freq`)) / 1000);
        max = Math.max(max, (await readSysNumber(this.env, `${p}/cpuinfo_max_freq`)) / 1000);
      } catch {}
    }
    return cur > 0 && max > 0 ? { curMHz: cur, limitMHz: Math.min(limit, max), maxMHz: max } : undefined;
  }

  async read(): Promise<ThermalReading> {
    const reasons: string[] = [];
    let cpu: ZoneReading | undefined;
    if (this.zone) {
      try {
        const tempC = (await readSysNumber(this.env, `${this.zone.dir}/temp`)) / 1000;
        cpu = {
          zone: this.zone.dir.split('/').pop() ?? this.zone.dir,
          type: this.zone.type,
          tempC,
          passiveTripC: this.zone.passiveTripC,
        };
        if (this.zone.passiveTripC !== undefined && tempC >= this.zone.passiveTripC) {
          reasons.push(
            `${cpu.type} ${tempC.toFixed(1)} °C at its passive trip point ${this.zone.passiveTripC} °C`,
          );
        }
      } catch {}
    }
    const freq = await this.readFreq();
    if (freq) {
      if (freq.limitMHz < freq.maxMHz)
        reasons.push(`cpufreq capped at ${freq.limitMHz} MHz (max ${freq.maxMHz} MHz)`);
      this.peakMHz = Math.max(this.peakMHz, freq.curMHz);
      const low = freq.curMHz < 0.9 * this.peakMHz;
      if (low && this.lowBefore)
        reasons.push(`cpufreq dropped to ${freq.curMHz} MHz (peak ${this.peakMHz} MHz)`);
      this.lowBefore = low;
    }
    let pi: PiThrottle | undefined;
    if (this.usePi) {
      try {
        pi = parseThrottled(await this.env.exec('vcgencmd', ['get_throttled']));
      } catch {}
      if (pi) {
        if (pi.now.length > 0) reasons.push(`Pi firmware: ${pi.now.join(', ')}`);
        if (this.baselineSticky === undefined) this.baselineSticky = new Set(pi.sinceBoot);
        const fresh = pi.sinceBoot.filter((s) => !this.baselineSticky?.has(s));
        if (fresh.length > 0 && pi.now.length === 0)
          reasons.push(`Pi firmware: ${fresh.join(', ')} occurred during the run`);
      }
    }
    return { cpu, freq, pi, throttled: reasons.length > 0, reasons };
  }
}
