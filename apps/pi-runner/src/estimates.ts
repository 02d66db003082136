// estimates.ts — energy figures for when nothing was measured: modelled energy without --profile, and the
// fields `calibrate` cannot measure without a power sensor: the runtime's built-in profile of the board
// (the same ones @edgeseg/compress charges in training), horowitz-45nm for any other host.
import { type EnergyProfile, HOROWITZ_45NM, JETSON_ORIN_NANO, RPI5 } from '@edgeseg/runtime';
import type { Board } from './device.js';

export const ESTIMATES: Record<Board, EnergyProfile> = {
  rpi5: RPI5,
  'jetson-orin-nano': JETSON_ORIN_NANO,
  // Any other host: the published 45 nm dynamic constants and no static power (unknown board).
  other: HOROWITZ_45NM,
};
