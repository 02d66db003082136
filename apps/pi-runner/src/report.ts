// report.ts — the human-readable summary of a run (stdout without --json).

import type { ThermalReading } from './power/thermal.js';
import type { RunSummary } from './runner.js';

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

/** 1.23 J, 45.6 mJ, 789 µJ */
export function joules(j: number): string {
  if (j >= 1) return `${j.toFixed(3)} J`;
  if (j >= 1e-3) return `${(j * 1e3).toFixed(3)} mJ`;
  return `${(j * 1e6).toFixed(3)} µJ`;
}

export function watts(w: number): string {
  return w >= 1 || w === 0 ? `${w.toFixed(2)} W` : `${(w * 1e3).toFixed(1)} mW`;
}

export function formatThermal(t: ThermalReading): string {
  const parts: string[] = [];
  if (t.cpu) {
    const trip = t.cpu.passiveTripC !== undefined ? ` (passive trip ${t.cpu.passiveTripC} °C)` : '';
    parts.push(`${t.cpu.type} ${t.cpu.tempC.toFixed(1)} °C${trip}`);
  }
  if (t.freq) parts.push(`cpufreq ${t.freq.curMHz}/${t.freq.maxMHz} MHz`);
  if (t.pi) parts.push(`get_throttled 0x${t.pi.raw.toString(16)}`);
  parts.push(t.throttled ? `THROTTLED: ${t.reasons.join('; ')}` : 'not throttled');
  return parts.join(' · ');
}

export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  const m = s.model;
  lines.push(
    `model    ${m.arch} · ${m.precision} · ${m.classes} classes · ${m.input.height}×${m.input.width} input · ${m.threads} thread(s) (${m.path})`,
  );
  lines.push(
    `frames   ${s.ok} ok, ${s.failed} failed, of ${s.inputs} input(s)` +
      (s.timing?.imagesCycled !== undefined ? ` — ${s.mode} cycles ${s.timing.imagesCycled} image(s)` : ''),
  );
  if (s.timing) {
    const t = s.timing;
    const l = t.latencyMs;
    lines.push(
      `speed    ${t.fps.toFixed(2)} FPS${t.schedule === 'pipeline' ? ` (pipelined: ${t.inFlight} frames in flight, one per thread)` : ''} · latency p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)} ` +
        `(network ${ms(t.inferenceMsMean)} mean) over ${t.frames} frame(s)` +
        (t.warmup > 0 ? ` after ${t.warmup} warm-up` : ''),
    );
  }
  if (s.energy) {
    const e = s.energy;
    if (e.joulesPerFrame !== undefined && e.source) {
      lines.push(
        `energy   ${joules(e.joulesPerFrame)}/frame · ${watts(e.watts ?? 0)} mean over ${(e.seconds ?? 0).toFixed(2)} s — ` +
          (e.measured ? `measured by ${e.source}` : 'MODELLED'),
      );
      lines.push(`         ${e.what}`, `         window: ${e.window}`);
      if (e.caveat) lines.push(`         caveat: ${e.caveat}`);
    } else lines.push(`energy   none${e.source ? ` from ${e.source}` : ''}`);
    if (e.note) lines.push(`         ${e.note}${e.unavailable?.length ? ':' : ''}`);
    for (const u of e.unavailable ?? []) if (e.note) lines.push(`           ${u.source}: ${u.reason}`);
  }
  if (s.thermal) lines.push(`thermal  ${formatThermal(s.thermal.end)}`);
  else lines.push('thermal  no thermal zone, cpufreq or vcgencmd on this host');
  if (s.soak) {
    const hot = s.soak.samples.reduce((a, x) => Math.max(a, x.tempC ?? -Infinity), -Infinity);
    lines.push(
      `soak     ${s.soak.seconds.toFixed(0)} s, ${s.soak.samples.length} sample(s)` +
        (Number.isFinite(hot) ? `, peak ${hot.toFixed(1)} °C` : '') +
        (s.soak.throttled ? ', THROTTLED' : ', never throttled'),
    );
    for (const ev of s.soak.events) lines.push(`         at ${ev.atS.toFixed(0)} s: ${ev.reason}`);
  }
  if (s.out) lines.push(`out      ${s.out.written.length} ${s.out.kind}(s) in ${s.out.dir}`);
  return `${lines.join('\n')}\n`;
}
