// rapl.ts — x86 CPU package energy from Linux powercap/RAPL (REFERENCE §3.3): each top-level zone
// /sys/class/powercap/intel-rapl:<n> named "package-<n>" has a counter energy_uj (µJ) that wraps to 0
// after max_energy_range_uj, so a delta is (e1 − e0 + range) mod range — valid while less than one range
// (≈ 262 kJ: minutes at full load) passes between reads, which polling every few seconds guarantees.
// energy_uj is readable by root only since Linux 5.10 (CVE-2020-8694, "PLATYPUS"): EACCES means not
// available, and we say so. AMD Zen exposes the same zones under the same driver name.
import { errorCode, readSysNumber, readSysText, type SensorEnv, sysGlob } from './env.js';
import type { EnergyMeter, EnergyWindow, Probe } from './meter.js';

export const RAPL_GLOB = '/sys/class/powercap/intel-rapl:*';

export interface RaplZone {
  dir: string;
  name: string;
  rangeUj: number;
}

/** Energy counted between two readings of a counter that wraps after `rangeUj`. */
export function raplDelta(e0: number, e1: number, rangeUj: number): number {
  return (((e1 - e0) % rangeUj) + rangeUj) % rangeUj;
}

class RaplMeter implements EnergyMeter {
  readonly source = 'rapl' as const;
  readonly measured = true;
  readonly what: string;
  readonly caveat = 'CPU package only: DRAM, disks and the rest of the machine are not included';
  private last: number[] = [];
  private uj = 0;
  private reads = 0;
  private t0 = 0;
  private lastRead = -Infinity;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly env: SensorEnv,
    private readonly zones: RaplZone[],
    private readonly pollMs: number,
  ) {
    this.what = `RAPL ${zones.map((z) => z.name).join(' + ')} (powercap energy_uj)`;
  }

  private async read(): Promise<number[]> {
    this.lastRead = this.env.now();
    this.reads++;
    return Promise.all(this.zones.map((z) => readSysNumber(this.env, `${z.dir}/energy_uj`)));
  }

  private async accumulate(): Promise<void> {
    const now = await this.read();
    for (let i = 0; i < now.length; i++) this.uj += raplDelta(this.last[i], now[i], this.zones[i].rangeUj);
    this.last = now;
  }

  async start(): Promise<void> {
    this.uj = 0;
    this.reads = 0;
    this.t0 = this.env.now();
    this.last = await this.read();
    if (this.env.timers === false) return;
    this.timer = setInterval(() => void this.accumulate().catch(() => {}), this.pollMs);
    this.timer.unref?.();
  }

  async poll(): Promise<void> {
    if (this.env.now() - this.lastRead >= this.pollMs) await this.accumulate();
  }

  async stop(): Promise<EnergyWindow> {
    clearInterval(this.timer);
    await this.accumulate();
    const seconds = (this.env.now() - this.t0) / 1000;
    const joules = this.uj / 1e6;
    return { joules, seconds, watts: seconds > 0 ? joules / seconds : 0, samples: this.reads };
  }
}

export async function probeRapl(env: SensorEnv, pollMs = 2000): Promise<Probe> {
  const source = 'rapl';
  const zones: RaplZone[] = [];
  for (const dir of await sysGlob(env, RAPL_GLOB)) {
    if (!/\/intel-rapl:\d+$/.test(dir)) continue; // top-level zones only: subzones are parts of a package
    let name: string;
    try {
      name = await readSysText(env, `${dir}/name`);
    } catch {
      continue;
    }
    if (!/^package-\d+$/.test(name)) continue; // psys would count the package twice
    try {
      await readSysNumber(env, `${dir}/energy_uj`);
    } catch (e) {
      const reason =
        errorCode(e) === 'EACCES'
          ? `${dir}/energy_uj is readable by root only (Linux ≥ 5.10, CVE-2020-8694); run as root or \`sudo chmod o+r ${dir}/energy_uj\``
          : `cannot read ${dir}/energy_uj: ${(e as Error).message}`;
      return { ok: false, source, reason };
    }
    let rangeUj: number;
    try {
      rangeUj = await readSysNumber(env, `${dir}/max_energy_range_uj`);
    } catch (e) {
      return { ok: false, source, reason: `cannot read ${dir}/max_energy_range_uj: ${(e as Error).message}` };
    }
    if (!(rangeUj > 0)) {
      return {
        ok: false,
        source,
        reason: `${dir}/max_energy_range_uj is not a positive range. Expected > 0, got ${rangeUj}`,
      };
    }
    zones.push({ dir, name, rangeUj });
  }
  if (zones.length === 0) {
    return {
      ok: false,
      source,
      reason:
        'no RAPL package zone under /sys/class/powercap (not an x86 host, or the intel_rapl driver is not loaded)',
    };
  }
  return { ok: true, meter: new RaplMeter(env, zones, pollMs) };
}
