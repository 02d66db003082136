import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHost, fakeHost } from '../sensors.fixture.js';
import { probeRapl, raplDelta } from './rapl.js';

let host: FakeHost;
afterEach(() => host?.cleanup());

const PC = '/sys/class/powercap';

function zones(pkg0: number, pkg1: number) {
  return {
    [`${PC}/intel-rapl:0/name`]: 'package-0',
    [`${PC}/intel-rapl:0/energy_uj`]: pkg0,
    [`${PC}/intel-rapl:0/max_energy_range_uj`]: 1_000_000,
    [`${PC}/intel-rapl:0:0/name`]: 'core',
    [`${PC}/intel-rapl:0:0/energy_uj`]: 5,
    [`${PC}/intel-rapl:0:0/max_energy_range_uj`]: 1_000_000,
    [`${PC}/intel-rapl:1/name`]: 'package-1',
    [`${PC}/intel-rapl:1/energy_uj`]: pkg1,
    [`${PC}/intel-rapl:1/max_energy_range_uj`]: 2_000_000,
    [`${PC}/intel-rapl:2/name`]: 'psys',
    [`${PC}/intel-rapl:2/energy_uj`]: 7,
    [`${PC}/intel-rapl:2/max_energy_range_uj`]: 1_000_000,
  };
}

describe('rapl', () => {
  it('takes counter deltas modulo max_energy_range_uj', () => {
    expect(raplDelta(100, 350, 1000)).toBe(250);
    expect(raplDelta(900, 100, 1000)).toBe(200); // wrapped once
    expect(raplDelta(5, 5, 1000)).toBe(0);
  });

  it('sums the package zones (not core subzones, not psys) across a wrap-around', async () => {
    host = await fakeHost(zones(900_000, 10));
    const p = await probeRapl(host.env, 1000);
    if (!p.ok) throw new Error(p.reason);
    expect(p.meter.what).toBe('RAPL package-0 + package-1 (powercap energy_uj)');
    await p.meter.start();
    host.clock.t = 1000;
    await host.write(zones(950_000, 500_010)); // +0.05 J, +0.5 J
    await p.meter.poll();
    host.clock.t = 2000;
    await host.write(zones(50_000, 600_010)); // wraps: +0.1 J, +0.1 J
    const w = await p.meter.stop({ frames: 2 });
    expect(w.joules).toBeCloseTo(0.75, 12);
    expect(w.seconds).toBe(2);
    expect(w.samples).toBe(3);
  });

  it('reports EACCES on energy_uj (root-only since Linux 5.10) as not available, saying why', async () => {
    host = await fakeHost(zones(1, 1));
    host.denied.add(`${PC}/intel-rapl:0/energy_uj`);
    const p = await probeRapl(host.env);
    if (p.ok) throw new Error('expected EACCES');
    expect(p.reason).toMatch(
      /intel-rapl:0\/energy_uj is readable by root only \(Linux ≥ 5\.10, CVE-2020-8694\)/,
    );
  });

  it('is not available on a host without powercap', async () => {
    host = await fakeHost();
    expect(await probeRapl(host.env)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^no RAPL package zone/),
    });
  });
});
