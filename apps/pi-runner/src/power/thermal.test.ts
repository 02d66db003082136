import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHost, fakeHost } from '../sensors.fixture.js';
import { parseThrottled, ThermalMonitor } from './thermal.js';

let host: FakeHost;
afterEach(() => host?.cleanup());

const TZ = '/sys/class/thermal';
const CF = '/sys/devices/system/cpu/cpufreq/policy0';

describe('thermal', () => {
  it('decodes get_throttled bits (now and since boot)', () => {
    expect(parseThrottled('throttled=0x0')).toEqual({ raw: 0, now: [], sinceBoot: [] });
    expect(parseThrottled('throttled=0x50005\n')).toEqual({
      raw: 0x50005,
      now: ['under-voltage', 'throttled'],
      sinceBoot: ['under-voltage', 'throttled'],
    });
    expect(parseThrottled('throttled=0x80000')?.sinceBoot).toEqual(['soft temperature limit']);
    expect(parseThrottled('error')).toBeUndefined();
  });

  it('reads the CPU zone by type, flags its passive trip point and a cpufreq cap', async () => {
    host = await fakeHost({
      [`${TZ}/thermal_zone0/type`]: 'acpitz',
      [`${TZ}/thermal_zone0/temp`]: 30000,
      [`${TZ}/thermal_zone1/type`]: 'x86_pkg_temp',
      [`${TZ}/thermal_zone1/temp`]: 61500,
      [`${TZ}/thermal_zone1/trip_point_0_type`]: 'passive',
      [`${TZ}/thermal_zone1/trip_point_0_temp`]: 95000,
      [`${TZ}/thermal_zone1/trip_point_1_type`]: 'critical',
      [`${TZ}/thermal_zone1/trip_point_1_temp`]: 105000,
      [`${CF}/scaling_cur_freq`]: 2400000,
      [`${CF}/scaling_max_freq`]: 2400000,
      [`${CF}/cpuinfo_max_freq`]: 2400000,
    });
    const t = await ThermalMonitor.open(host.env);
    const cool = await t.read();
    expect(cool.cpu).toEqual({ zone: 'thermal_zone1', type: 'x86_pkg_temp', tempC: 61.5, passiveTripC: 95 });
    expect(cool.freq).toEqual({ curMHz: 2400, limitMHz: 2400, maxMHz: 2400 });
    expect(cool.throttled).toBe(false);
    await host.write({
      [`${TZ}/thermal_zone1/temp`]: 95500,
      [`${CF}/scaling_max_freq`]: 1500000,
      [`${CF}/scaling_cur_freq`]: 1500000,
    });
    const hot = await t.read();
    expect(hot.throttled).toBe(true);
    expect(hot.reasons).toEqual([
      'x86_pkg_temp 95.5 °C at its passive trip point 95 °C',
      'cpufreq capped at 1500 MHz (max 2400 MHz)',
    ]);
    const again = await t.read(); // below 90% of the peak twice in a row: a drop
    expect(again.reasons).toContain('cpufreq dropped to 1500 MHz (peak 2400 MHz)');
  });

  it('on a Pi, reports firmware throttling now and sticky bits that appear during the run', async () => {
    host = await fakeHost({
      [`${TZ}/thermal_zone0/type`]: 'cpu-thermal',
      [`${TZ}/thermal_zone0/temp`]: 45500,
    });
    host.commands.set('vcgencmd get_throttled', 'throttled=0x10000'); // an old under-voltage, since boot
    const t = await ThermalMonitor.open(host.env);
    const first = await t.read();
    expect(first.cpu?.tempC).toBe(45.5);
    expect(first.throttled).toBe(false);
    host.commands.set('vcgencmd get_throttled', 'throttled=0xe0006');
    expect((await t.read()).reasons).toEqual(['Pi firmware: ARM frequency capped, throttled']);
    host.commands.set('vcgencmd get_throttled', 'throttled=0xe0000');
    expect((await t.read()).reasons).toEqual([
      'Pi firmware: ARM frequency capped, throttled, soft temperature limit occurred during the run',
    ]);
  });

  it('is simply unavailable on a host with none of it', async () => {
    host = await fakeHost();
    const t = await ThermalMonitor.open(host.env);
    expect(t.available).toBe(false);
    expect(await t.read()).toEqual({
      cpu: undefined,
      freq: undefined,
      pi: undefined,
      throttled: false,
      reasons: [],
    });
  });
});
