// meter.ts — the pluggable energy meter (DESIGN §3.3, REFERENCE §3): one backend per source, each in its
// own file (ina3221.ts, vcgencmd.ts, rapl.ts, model.ts), chosen by select.ts. A meter measures one window
// at a time: start() … poll() between frames … stop({ frames }).
//
// Power sensors (INA3221, the Pi 5 PMIC) give instantaneous power, so their meters sample and integrate
// (trapezoid rule over the sample times). Sampling runs on a timer *and* on poll(): an executor running on
// the calling thread blocks the event loop for a whole frame, so the runner calls poll() between frames
// and the timer only covers waits (idle windows, worker-thread execution). Counter sources (RAPL) read an
// energy counter instead, polling only to catch counter wrap-around.

export type EnergySource = 'ina3221' | 'vcgencmd' | 'rapl' | 'model';
export const ENERGY_SOURCES: readonly EnergySource[] = ['ina3221', 'vcgencmd', 'rapl', 'model'];

export interface EnergyWindow {
  joules: number;
  seconds: number;
  /** Mean power over the window (joules / seconds). */
  watts: number;
  /** Sensor readings taken (0 for the model). */
  samples: number;
}

export interface EnergyMeter {
  readonly source: EnergySource;
  /** What the figure covers, e.g. "Jetson INA3221 rail VDD_IN (module input)". */
  readonly what: string;
  /** False for modelled energy. */
  readonly measured: boolean;
  /** How the figure is biased, when it is (the Pi PMIC under-counts; RAPL is the CPU package only). */
  readonly caveat?: string;
  start(): Promise<void>;
  /** Between frames: take a reading if one is due (cheap otherwise). */
  poll(): Promise<void>;
  /** Ends the window; `frames` run in it (the model meter charges per frame). */
  stop(work: { frames: number }): Promise<EnergyWindow>;
}

/** A backend that is not available on this host, and why (shown to the user). */
export interface Unavailable {
  ok: false;
  source: EnergySource;
  reason: string;
}
export type Probe = { ok: true; meter: EnergyMeter } | Unavailable;

/** Integrates P(t) from readings taken at irregular times. */
export class PowerIntegrator {
  private t: number[] = [];
  private p: number[] = [];

  add(tMs: number, watts: number): void {
    if (this.t.length > 0 && tMs < this.t[this.t.length - 1]) return; // clock went backwards: drop
    this.t.push(tMs);
    this.p.push(watts);
  }

  get samples(): number {
    return this.t.length;
  }

  /** Energy between the first and last reading (trapezoid rule). */
  window(): EnergyWindow {
    const n = this.t.length;
    let joules = 0;
    for (let i = 1; i < n; i++)
      joules += ((this.p[i] + this.p[i - 1]) / 2) * ((this.t[i] - this.t[i - 1]) / 1000);
    const seconds = n > 1 ? (this.t[n - 1] - this.t[0]) / 1000 : 0;
    // No time passed (one reading, or a stopped clock): the mean of the readings.
    const watts = seconds > 0 ? joules / seconds : n > 0 ? this.p.reduce((a, b) => a + b, 0) / n : 0;
    return { joules, seconds, watts, samples: n };
  }
}

export interface SamplingOptions {
  source: EnergySource;
  what: string;
  caveat?: string;
  /** Reads the instantaneous power in watts. */
  read(): Promise<number>;
  now(): number;
  /** Minimum time between readings. */
  intervalMs: number;
  /** Sample on a timer too (false: only on start, poll and stop). */
  timer?: boolean;
}

/** A meter over an instantaneous power reading: samples on a timer and on poll(), integrates. */
export class SamplingMeter implements EnergyMeter {
  readonly source: EnergySource;
  readonly what: string;
  readonly caveat?: string;
  readonly measured = true;
  private integ = new PowerIntegrator();
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight: Promise<void> | undefined;
  private last = -Infinity;
  private failures = 0;
  private lastError: Error | undefined;

  constructor(private readonly o: SamplingOptions) {
    this.source = o.source;
    this.what = o.what;
    this.caveat = o.caveat;
  }

  private sample(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const t0 = this.o.now();
    this.last = t0;
    this.inFlight = this.o
      .read()
      .then(
        (w) => {
          // Stamp a reading half-way through a slow read (vcgencmd spawns a process).
          this.integ.add((t0 + this.o.now()) / 2, w);
        },
        (e) => {
          this.failures++;
          this.lastError = e as Error;
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  async start(): Promise<void> {
    this.integ = new PowerIntegrator();
    this.failures = 0;
    await this.sample();
    if (this.o.timer === false) return;
    this.timer = setInterval(() => void this.sample(), this.o.intervalMs);
    this.timer.unref?.();
  }

  async poll(): Promise<void> {
    if (this.o.now() - this.last >= this.o.intervalMs) await this.sample();
  }

  async stop(): Promise<EnergyWindow> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.sample();
    const w = this.integ.window();
    if (w.samples < 2) {
      throw new Error(
        `${this.source}: too few power readings to integrate. Expected ≥ 2, got ${w.samples}` +
          (this.lastError ? ` (${this.failures} failed: ${this.lastError.message})` : '') +
          '.',
      );
    }
    return w;
  }
}
