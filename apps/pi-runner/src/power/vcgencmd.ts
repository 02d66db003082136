// vcgencmd.ts — Raspberry Pi 5 power from the PMIC's ADC, `vcgencmd pmic_read_adc` (REFERENCE §3.2).
// The DA9091 PMIC reports 12 rail currents and 14 voltages; EXT5V_V (the USB-C input) and BATT_V have no
// current, so the input power cannot be read. We report Σ V·I over the rails that have both, which
// UNDER-COUNTS the board: regulator losses and the 5 V loads (USB devices, fan, HAT) are not on any rail.
// A community calibration (pitop) puts the input at ≈ 1.1451·Σ + 0.5879 W; we do not apply it.
// vcgencmd spawns a process and talks to the firmware (~ms per call): sampled at 10 Hz and integrated.
import { errorCode, type SensorEnv } from './env.js';
import { type Probe, SamplingMeter } from './meter.js';

export interface PmicReadings {
  /** Amperes per rail name (without the _A suffix). */
  currents: Map<string, number>;
  /** Volts per rail name (without the _V suffix). */
  volts: Map<string, number>;
}

// `   VDD_CORE_A current(7)=1.11625000A` (firmware ≥ late 2023) and the older `VDD_CORE_V=0.8750V`.
const NEW_LINE = /^\s*(\w+)_(A|V) (?:current|volt)\(\d+\)=([0-9.]+(?:e[-+]?\d+)?)(A|V)\s*$/;
const OLD_LINE = /^\s*(\w+)_(A|V)=([0-9.]+(?:e[-+]?\d+)?)(A|V)\s*$/;

export function parsePmicAdc(text: string): PmicReadings {
  const currents = new Map<string, number>();
  const volts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = NEW_LINE.exec(line) ?? OLD_LINE.exec(line);
    if (!m || m[2] !== m[4]) continue; // the suffix of the name and of the value must agree
    const v = Number(m[3]);
    if (!Number.isFinite(v)) continue;
    (m[2] === 'A' ? currents : volts).set(m[1], v);
  }
  return { currents, volts };
}

/** Σ V·I over the rails with both a current and a voltage, and how many there were. */
export function pmicWatts(r: PmicReadings): { watts: number; rails: number } {
  let watts = 0;
  let rails = 0;
  for (const [name, amps] of r.currents) {
    const v = r.volts.get(name);
    if (v === undefined) continue;
    watts += v * amps;
    rails++;
  }
  return { watts, rails };
}

async function readPmic(env: SensorEnv): Promise<{ watts: number; rails: number }> {
  return pmicWatts(parsePmicAdc(await env.exec('vcgencmd', ['pmic_read_adc'])));
}

export async function probeVcgencmd(env: SensorEnv, intervalMs = 100): Promise<Probe> {
  const source = 'vcgencmd';
  let first: { watts: number; rails: number };
  try {
    first = await readPmic(env);
  } catch (e) {
    const reason =
      errorCode(e) === 'ENOENT'
        ? 'vcgencmd not found (not a Raspberry Pi, or the raspi-utils package is missing)'
        : `vcgencmd pmic_read_adc failed: ${((e as Error).message ?? String(e)).split('\n')[0]} (the user needs access to /dev/vcio, group "video")`;
    return { ok: false, source, reason };
  }
  if (first.rails === 0) {
    return {
      ok: false,
      source,
      reason:
        'vcgencmd pmic_read_adc printed no rail with both a current and a voltage (a Pi 5 with firmware ≥ late 2023 is needed)',
    };
  }
  const meter = new SamplingMeter({
    source,
    what: `Raspberry Pi 5 PMIC, Σ V·I over ${first.rails} rails (vcgencmd pmic_read_adc)`,
    caveat:
      'under-counts: PMIC rails only; regulator losses and 5 V USB/fan/HAT loads are not measured (input ≈ 1.145·Σ + 0.59 W by a community calibration)',
    read: async () => (await readPmic(env)).watts,
    now: env.now,
    intervalMs,
    timer: env.timers,
  });
  return { ok: true, meter };
}
