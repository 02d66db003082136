// sensors.fixture.ts — fake hosts for the sensor tests: a temporary folder laid out like /sys and /proc,
// canned command output, a clock the test moves, and a way to make chosen files fail with EACCES.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SensorEnv } from './power/env.js';

export interface FakeHost {
  root: string;
  env: SensorEnv;
  /** Writes files under the root: { '/sys/…/in1_label': 'VDD_IN' }. */
  write(files: Record<string, string | number>): Promise<void>;
  /** Canned stdout per command line ("vcgencmd pmic_read_adc"); an Error rejects instead. */
  commands: Map<string, string | Error>;
  /** sysfs paths whose read fails with EACCES. */
  denied: Set<string>;
  clock: { t: number };
  cleanup(): Promise<void>;
}

export function enoent(cmd: string): Error {
  return Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT' });
}

export async function fakeHost(files: Record<string, string | number> = {}): Promise<FakeHost> {
  const root = await mkdtemp(join(tmpdir(), 'edgeseg-run-sys-'));
  const commands = new Map<string, string | Error>();
  const denied = new Set<string>();
  const clock = { t: 0 };
  const host: FakeHost = {
    root,
    commands,
    denied,
    clock,
    async write(f) {
      for (const [path, v] of Object.entries(f)) {
        const p = join(root, path);
        await mkdir(dirname(p), { recursive: true });
        await writeFile(p, `${v}\n`);
      }
    },
    env: {
      root,
      readFile: async (p) => {
        if (denied.has(p.slice(root.length))) {
          throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
        }
        return readFile(p, 'utf8');
      },
      exec: async (cmd, args) => {
        const out = commands.get([cmd, ...args].join(' '));
        if (out === undefined) throw enoent(cmd);
        if (out instanceof Error) throw out;
        return out;
      },
      now: () => clock.t,
      timers: false,
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  await host.write(files);
  return host;
}

export const INA = '/sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3';

/** An Orin Nano's INA3221: VDD_IN at `mv` mV and `ma` mA. */
export function orinNano(mv: number, ma: number): Record<string, string | number> {
  return {
    [`${INA}/in1_label`]: 'VDD_IN',
    [`${INA}/in1_input`]: mv,
    [`${INA}/curr1_input`]: ma,
    [`${INA}/in2_label`]: 'VDD_CPU_GPU_CV',
    [`${INA}/in2_input`]: 5000,
    [`${INA}/curr2_input`]: 400,
    [`${INA}/in3_label`]: 'VDD_SOC',
    [`${INA}/in3_input`]: 5000,
    [`${INA}/curr3_input`]: 300,
  };
}

/** A Pi 5 `vcgencmd pmic_read_adc` capture (REFERENCE §3.2), shortened to four paired rails + unpaired ones. */
export const PMIC_NEW = `   3V7_WL_SW_A current(0)=0.09466522A
     3V3_SYS_A current(1)=0.08197812A
     1V8_SYS_A current(2)=0.15029320A
    VDD_CORE_A current(7)=1.11625000A
        HDMI_A current(22)=0.01660560A
   3V7_WL_SW_V volt(8)=3.62925200V
     3V3_SYS_V volt(9)=3.31652900V
     1V8_SYS_V volt(10)=1.80045800V
    VDD_CORE_V volt(15)=0.74944980V
       EXT5V_V volt(24)=5.08530000V
        BATT_V volt(25)=0.00000000V
`;
