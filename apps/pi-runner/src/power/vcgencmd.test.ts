import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHost, fakeHost, PMIC_NEW } from '../sensors.fixture.js';
import { parsePmicAdc, pmicWatts, probeVcgencmd } from './vcgencmd.js';

let host: FakeHost;
afterEach(() => host?.cleanup());

const paired = 3.629252 * 0.09466522 + 3.316529 * 0.08197812 + 1.800458 * 0.1502932 + 0.7494498 * 1.11625;

describe('vcgencmd pmic_read_adc', () => {
  it('parses the current firmware format and sums V·I over paired rails only', () => {
    const r = parsePmicAdc(PMIC_NEW);
    expect(r.currents.get('VDD_CORE')).toBe(1.11625);
    expect(r.volts.get('EXT5V')).toBe(5.0853);
    const w = pmicWatts(r);
    // HDMI has a current but no voltage here; EXT5V_V and BATT_V have no current: all left out.
    expect(w.rails).toBe(4);
    expect(w.watts).toBeCloseTo(paired, 12);
  });

  it('parses the older NAME_V=0.8750V format too, and ignores noise', () => {
    const r = parsePmicAdc('VDD_CORE_A=2.0000A\nVDD_CORE_V=0.8750V\nerror=2 error_msg="x"\nFOO_A=1.0V\n');
    expect(pmicWatts(r)).toEqual({ watts: 1.75, rails: 1 });
    expect(r.currents.has('FOO')).toBe(false); // unit and suffix disagree
  });

  it('meters by sampling the command', async () => {
    host = await fakeHost();
    host.commands.set('vcgencmd pmic_read_adc', PMIC_NEW);
    const p = await probeVcgencmd(host.env, 100);
    if (!p.ok) throw new Error(p.reason);
    expect(p.meter.caveat).toMatch(/^under-counts/);
    await p.meter.start();
    host.clock.t = 2000;
    const w = await p.meter.stop({ frames: 3 });
    expect(w.joules).toBeCloseTo(2 * paired, 9);
  });

  it('says why it is not available: no vcgencmd, no access, no PMIC', async () => {
    host = await fakeHost();
    const missing = await probeVcgencmd(host.env);
    expect(missing).toMatchObject({ ok: false, reason: expect.stringMatching(/^vcgencmd not found/) });
    host.commands.set('vcgencmd pmic_read_adc', new Error('VCHI initialization failed'));
    const denied = await probeVcgencmd(host.env);
    expect(denied).toMatchObject({
      ok: false,
      reason: expect.stringContaining('VCHI initialization failed'),
    });
    host.commands.set('vcgencmd pmic_read_adc', 'error=1 error_msg="Command not registered"\n'); // a Pi 4
    const pi4 = await probeVcgencmd(host.env);
    expect(pi4).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no rail with both a current and a voltage/),
    });
  });
});
