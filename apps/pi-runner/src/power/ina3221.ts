// ina3221.ts — Jetson Orin Nano board power from the INA3221 monitor (REFERENCE §3.1): the upstream hwmon
// driver at /sys/bus/i2c/drivers/ina3221/<bus>-0040/hwmon/hwmon<N>/ (N varies between boots: globbed),
// channel labels in in<k>_label, bus voltage in<k>_input in mV, current curr<k>_input in mA; no power file
// in the mainline driver, so P = V·I. The VDD_IN rail is the module's whole input (CPU, GPU, SoC, memory);
// carrier board, fan and USB loads are outside it. The AGX Orin has no VDD_IN rail and is not supported.

import { errorCode, readSysNumber, readSysText, type SensorEnv, sysGlob } from './env.js';
import { type EnergyMeter, type Probe, SamplingMeter } from './meter.js';

export const INA3221_GLOB = '/sys/bus/i2c/drivers/ina3221/*/hwmon/hwmon*';
export const INA3221_RAIL = 'VDD_IN';

export interface Ina3221Rail {
  dir: string;
  channel: number;
  label: string;
}

/** Every labelled channel of every INA3221 hwmon device. */
export async function ina3221Rails(env: SensorEnv): Promise<Ina3221Rail[]> {
  const rails: Ina3221Rail[] = [];
  for (const dir of await sysGlob(env, INA3221_GLOB)) {
    for (const f of await sysGlob(env, `${dir}/in*_label`)) {
      const m = /\/in(\d+)_label$/.exec(f);
      if (!m) continue;
      try {
        rails.push({ dir, channel: Number(m[1]), label: await readSysText(env, f) });
      } catch {
        // an unreadable label is a rail we cannot name: skip it
      }
    }
  }
  return rails;
}

/** Power of one rail in watts: bus voltage [mV] × current [mA]. */
export async function readRailWatts(env: SensorEnv, rail: Ina3221Rail): Promise<number> {
  const [mv, ma] = await Promise.all([
    readSysNumber(env, `${rail.dir}/in${rail.channel}_input`),
    readSysNumber(env, `${rail.dir}/curr${rail.channel}_input`),
  ]);
  return (mv * ma) / 1e6;
}

export async function probeIna3221(env: SensorEnv, intervalMs = 50): Promise<Probe> {
  const source = 'ina3221';
  const rails = await ina3221Rails(env);
  if (rails.length === 0) {
    return {
      ok: false,
      source,
      reason: `no INA3221 hwmon device under ${INA3221_GLOB.replace('/*/hwmon/hwmon*', '')} (not a Jetson, or an old JetPack with the ina3221x IIO driver)`,
    };
  }
  const rail = rails.find((r) => r.label === INA3221_RAIL);
  if (!rail) {
    return {
      ok: false,
      source,
      reason: `INA3221 found but no ${INA3221_RAIL} rail. Expected a rail labelled ${INA3221_RAIL} (Orin Nano/NX), got ${rails.map((r) => r.label).join(', ')}`,
    };
  }
  try {
    await readRailWatts(env, rail);
  } catch (e) {
    const why =
      errorCode(e) === 'EACCES'
        ? `permission denied reading ${rail.dir}/curr${rail.channel}_input (run as root or make the hwmon files readable)`
        : (e as Error).message;
    return { ok: false, source, reason: why };
  }
  const meter: EnergyMeter = new SamplingMeter({
    source,
    what: `Jetson INA3221 rail ${INA3221_RAIL} (module input; carrier board, fan and USB excluded) at ${rail.dir}`,
    read: () => readRailWatts(env, rail),
    now: env.now,
    intervalMs,
    timer: env.timers,
  });
  return { ok: true, meter };
}
