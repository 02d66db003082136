import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHost, fakeHost, INA, orinNano } from '../sensors.fixture.js';
import { ina3221Rails, probeIna3221 } from './ina3221.js';

let host: FakeHost;
afterEach(() => host?.cleanup());

describe('ina3221', () => {
  it('finds VDD_IN by its label under a globbed hwmon folder and integrates V·I over time', async () => {
    host = await fakeHost(orinNano(5000, 1200)); // 6 W
    expect((await ina3221Rails(host.env)).map((r) => r.label)).toEqual([
      'VDD_IN',
      'VDD_CPU_GPU_CV',
      'VDD_SOC',
    ]);
    const p = await probeIna3221(host.env, 50);
    if (!p.ok) throw new Error(p.reason);
    expect(p.meter.what).toContain('VDD_IN');
    await p.meter.start(); // t = 0: 6 W
    host.clock.t = 1000;
    await host.write({ [`${INA}/curr1_input`]: 2000 }); // 10 W from now on
    await p.meter.poll(); // t = 1: 10 W
    host.clock.t = 3000;
    const w = await p.meter.stop({ frames: 1 }); // t = 3: 10 W
    // trapezoids: (6 + 10)/2·1 + 10·2 = 28 J over 3 s
    expect(w.samples).toBe(3);
    expect(w.joules).toBeCloseTo(28, 9);
    expect(w.seconds).toBe(3);
    expect(w.watts).toBeCloseTo(28 / 3, 9);
  });

  it('poll() samples only once the interval has passed', async () => {
    host = await fakeHost(orinNano(5000, 1000));
    const p = await probeIna3221(host.env, 100);
    if (!p.ok) throw new Error(p.reason);
    await p.meter.start();
    host.clock.t = 50;
    await p.meter.poll();
    host.clock.t = 100;
    await p.meter.poll();
    host.clock.t = 120;
    expect((await p.meter.stop({ frames: 0 })).samples).toBe(3); // start, t=100, stop
  });

  it('is not available without the device, without VDD_IN (AGX Orin), or without read access', async () => {
    host = await fakeHost({ '/sys/class/thermal/thermal_zone0/type': 'cpu-thermal' });
    const none = await probeIna3221(host.env);
    expect(none.ok).toBe(false);
    if (!none.ok)
      expect(none.reason).toMatch(/^no INA3221 hwmon device under \/sys\/bus\/i2c\/drivers\/ina3221/);
    await host.cleanup();

    host = await fakeHost({ [`${INA}/in1_label`]: 'VDD_GPU_SOC', [`${INA}/in2_label`]: 'VDD_CPU_CV' });
    const agx = await probeIna3221(host.env);
    if (agx.ok) throw new Error('expected no VDD_IN');
    expect(agx.reason).toBe(
      'INA3221 found but no VDD_IN rail. Expected a rail labelled VDD_IN (Orin Nano/NX), got VDD_GPU_SOC, VDD_CPU_CV',
    );
    await host.cleanup();

    host = await fakeHost(orinNano(5000, 1000));
    host.denied.add(`${INA}/curr1_input`);
    const denied = await probeIna3221(host.env);
    if (denied.ok) throw new Error('expected EACCES');
    expect(denied.reason).toMatch(/^permission denied reading .*curr1_input \(run as root/);
  });
});
