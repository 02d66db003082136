// device.ts — what board or CPU this is, for reports and for choosing an estimate when nothing is measured:
// /proc/device-tree/model on ARM boards ("Raspberry Pi 5 Model B Rev 1.0", "NVIDIA Jetson Orin Nano …"),
// the DMI product name on PCs, else the CPU model from /proc/cpuinfo.
import { type SensorEnv, tryReadSysText } from './power/env.js';

export type Board = 'rpi5' | 'jetson-orin-nano' | 'other';

export interface Device {
  name: string;
  board: Board;
}

export async function detectDevice(env: SensorEnv): Promise<Device> {
  const dt = await tryReadSysText(env, '/proc/device-tree/model');
  const dmi = await tryReadSysText(env, '/sys/devices/virtual/dmi/id/product_name');
  const cpuinfo = (await tryReadSysText(env, '/proc/cpuinfo')) ?? '';
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  const name = dt || (dmi && cpu ? `${dmi} (${cpu})` : dmi || cpu) || 'unknown device';
  const board: Board = /Raspberry Pi 5/i.test(name)
    ? 'rpi5'
    : /Jetson Orin Nano/i.test(name)
      ? 'jetson-orin-nano'
      : 'other';
  return { name, board };
}
