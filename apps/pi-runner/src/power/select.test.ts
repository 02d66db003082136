import { afterEach, describe, expect, it } from 'vitest';
import { ESTIMATES } from '../estimates.js';
import { FAKE_INFO } from '../fakeModel.fixture.js';
import { type FakeHost, fakeHost, orinNano, PMIC_NEW } from '../sensors.fixture.js';
import { ModelMeter } from './model.js';
import { selectMeter } from './select.js';

let host: FakeHost;
afterEach(() => host?.cleanup());

const model = () => new ModelMeter(FAKE_INFO, ESTIMATES.rpi5, () => host.clock.t, 'test');

describe('selectMeter', () => {
  it('auto prefers ina3221, then vcgencmd, then rapl', async () => {
    host = await fakeHost({
      ...orinNano(5000, 1000),
      '/sys/class/powercap/intel-rapl:0/name': 'package-0',
      '/sys/class/powercap/intel-rapl:0/energy_uj': 1,
      '/sys/class/powercap/intel-rapl:0/max_energy_range_uj': 10,
    });
    host.commands.set('vcgencmd pmic_read_adc', PMIC_NEW);
    expect((await selectMeter('auto', host.env, model)).meter?.source).toBe('ina3221');
    expect((await selectMeter('vcgencmd', host.env, model)).meter?.source).toBe('vcgencmd');
    expect((await selectMeter('rapl', host.env, model)).meter?.source).toBe('rapl');
  });

  it('falls back to the model and says why, for auto and for a named sensor', async () => {
    host = await fakeHost();
    const auto = await selectMeter('auto', host.env, model);
    expect(auto.meter?.source).toBe('model');
    expect(auto.unavailable.map((u) => u.source)).toEqual(['ina3221', 'vcgencmd', 'rapl']);
    expect(auto.note).toBe('no power sensor found; energy is modelled');
    expect(auto.unavailable[1].reason).toMatch(/^vcgencmd not found/);
    const named = await selectMeter('ina3221', host.env, model);
    expect(named.meter?.source).toBe('model');
    expect(named.note).toBe('ina3221 not available; energy is modelled');
    expect(named.unavailable[0].reason).toMatch(/^no INA3221 hwmon device/);
  });

  it('gives no meter for none, or without a model to fall back to', async () => {
    host = await fakeHost();
    expect((await selectMeter('none', host.env, model)).meter).toBeNull();
    const bare = await selectMeter('auto', host.env);
    expect(bare.meter).toBeNull();
    expect(bare.note).toMatch(/^no power sensor found/);
  });
});
