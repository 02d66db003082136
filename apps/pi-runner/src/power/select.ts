// select.ts — which energy meter a run uses. `auto` tries the board sensors in order of fidelity —
// ina3221 (Jetson module input) → vcgencmd (Pi 5 PMIC rails) → rapl (x86 package) — and falls back to the
// model; naming one source tries only that one and also falls back to the model, saying why.
import type { SensorEnv } from './env.js';
import { probeIna3221 } from './ina3221.js';
import type { EnergyMeter, EnergySource, Probe, Unavailable } from './meter.js';
import { probeRapl } from './rapl.js';
import { probeVcgencmd } from './vcgencmd.js';

export type PowerChoice = 'auto' | 'none' | EnergySource;
export const POWER_CHOICES: readonly PowerChoice[] = ['auto', 'rapl', 'ina3221', 'vcgencmd', 'model', 'none'];

export const SENSOR_ORDER = ['ina3221', 'vcgencmd', 'rapl'] as const;
export type SensorSource = (typeof SENSOR_ORDER)[number];

export interface MeterChoice {
  /** null for --power none, or when no sensor exists and no model fallback was given. */
  meter: EnergyMeter | null;
  /** Why the meter is not the one asked for: "no power sensor found; energy is modelled". */
  note?: string;
  /** The sensors tried and not available, each with the reason. */
  unavailable: Unavailable[];
}

const PROBES: Record<SensorSource, (env: SensorEnv) => Promise<Probe>> = {
  ina3221: (env) => probeIna3221(env),
  vcgencmd: (env) => probeVcgencmd(env),
  rapl: (env) => probeRapl(env),
};

export async function selectMeter(
  choice: PowerChoice,
  env: SensorEnv,
  /** The modelled-energy meter to fall back to (omit: no fallback, e.g. for calibration). */
  model?: () => EnergyMeter,
): Promise<MeterChoice> {
  if (choice === 'none') return { meter: null, unavailable: [] };
  if (choice === 'model') {
    if (!model) throw new Error('--power model: no model to estimate the energy of.');
    return { meter: model(), unavailable: [] };
  }
  const order: readonly SensorSource[] = choice === 'auto' ? SENSOR_ORDER : [choice];
  const unavailable: Unavailable[] = [];
  for (const source of order) {
    const p = await PROBES[source](env);
    if (p.ok) return { meter: p.meter, unavailable };
    unavailable.push(p);
  }
  const note = choice === 'auto' ? 'no power sensor found' : `${choice} not available`;
  return {
    meter: model ? model() : null,
    note: model ? `${note}; energy is modelled` : note,
    unavailable,
  };
}
