// soak.ts — `--soak DURATION`: frames back to back until the duration has passed, with a thermal sample
// every `reportMs` (FPS since the last sample, CPU temperature, clock, throttling). Lines go to stderr when
// it is a terminal; samples and the first occurrence of each throttling reason go into the summary.
import { formatDuration, type Io } from './io.js';
import type { EnergyMeter } from './power/meter.js';
import type { ThermalMonitor } from './power/thermal.js';

export interface SoakSample {
  atS: number;
  fps: number;
  frames: number;
  tempC?: number;
  freqMHz?: number;
  throttled: boolean;
  reasons: string[];
}

export interface SoakReport {
  seconds: number;
  samples: SoakSample[];
  throttled: boolean;
  events: { atS: number; reason: string }[];
}

export async function soakLoop<F>(
  durationMs: number,
  frames: F[],
  timed: (f: F) => Promise<unknown>,
  meter: EnergyMeter | null,
  thermal: ThermalMonitor,
  io: Io,
  reportMs: number,
): Promise<SoakReport> {
  const samples: SoakSample[] = [];
  const events: { atS: number; reason: string }[] = [];
  const seen = new Set<string>();
  const t0 = performance.now();
  let lastT = t0;
  let lastFrames = 0;
  let done = 0;
  const sample = async (now: number) => {
    const r = await thermal.read();
    const s: SoakSample = {
      atS: (now - t0) / 1000,
      fps: (done - lastFrames) / Math.max(1e-9, (now - lastT) / 1000),
      frames: done,
      tempC: r.cpu?.tempC,
      freqMHz: r.freq?.curMHz,
      throttled: r.throttled,
      reasons: r.reasons,
    };
    samples.push(s);
    for (const reason of r.reasons) {
      const key = reason.replace(/[\d.]+/g, '#');
      if (!seen.has(key)) {
        seen.add(key);
        events.push({ atS: s.atS, reason });
      }
    }
    if (io.stderr.isTTY) {
      const temp = s.tempC !== undefined ? `  ${s.tempC.toFixed(1)} °C` : '';
      const freq = s.freqMHz !== undefined ? `  ${s.freqMHz} MHz` : '';
      const flag = s.throttled ? `  THROTTLED: ${s.reasons.join('; ')}` : '';
      io.stderr.write(
        `soak ${formatDuration(now - t0)}/${formatDuration(durationMs)}  ${s.fps.toFixed(2)} FPS${temp}${freq}${flag}\n`,
      );
    }
    lastT = now;
    lastFrames = done;
  };
  for (;;) {
    const now = performance.now();
    if (now - t0 >= durationMs) break;
    await timed(frames[done % frames.length]);
    done++;
    await meter?.poll();
    const after = performance.now();
    if (after - lastT >= reportMs) await sample(after);
  }
  if (done > lastFrames || samples.length === 0) await sample(performance.now());
  return {
    seconds: (performance.now() - t0) / 1000,
    samples,
    throttled: samples.some((s) => s.throttled),
    events,
  };
}
