// estimates.ts — energy figures for when nothing was measured: modelled energy without --profile, and the
// fields `calibrate` cannot measure without a power sensor. They mirror the built-in profiles of
// @edgeseg/compress (rpi5, jetson-orin-nano, horowitz-45nm), which the runner cannot import (a board installs
// @edgeseg/runtime only); test/ checks that they stay equal.
import type { EnergyProfile } from '@edgeseg/runtime';
import type { Board } from './device.js';

// Horowitz, "Computing's Energy Problem", ISSCC 2014, 45 nm: int8 MAC 0.2 + 0.1 pJ, fp16 1.1 + 0.4, fp32 3.7 + 0.9.
const H45 = { int8: 0.2 + 0.1, fp16: 1.1 + 0.4, fp32: 3.7 + 0.9 };

export const ESTIMATES: Record<Board, EnergyProfile> = {
  rpi5: {
    name: 'rpi5',
    description: 'Raspberry Pi 5 (Cortex-A76 ×4, LPDDR4X): estimates until calibrated on the board.',
    sources: [
      'Horowitz ISSCC 2014 constants × 0.3 (45 nm → 16 nm technology factor, estimate)',
      'LPDDR4X access energy ≈ 4 pJ/bit (estimate)',
      'Pi 5 idle ≈ 2.7–3 W at the USB-C input (REFERENCE.md §3.2)',
    ],
    macPj: { int8: H45.int8 * 0.3, fp16: H45.fp16 * 0.3, fp32: H45.fp32 * 0.3 },
    opPj: 0.9 * 0.3,
    bytePj: { dram: 32, onChip: 1.2 },
    cacheBytes: 2 << 20,
    staticW: 2.7,
    macsPerSecond: { int8: 4 * 10e9, fp32: 4 * 6e9 },
    dramBytesPerSecond: 12e9,
  },
  'jetson-orin-nano': {
    name: 'jetson-orin-nano',
    description: 'Jetson Orin Nano CPU (Cortex-A78AE ×6, LPDDR5): estimates until calibrated on the board.',
    sources: [
      'Horowitz ISSCC 2014 constants × 0.2 (45 nm → 8 nm technology factor, estimate)',
      'LPDDR5 access energy ≈ 3 pJ/bit (estimate)',
      'Orin Nano dev kit VDD_IN at idle ≈ 3.0–4.9 W in public tegrastats samples (REFERENCE.md §3.1)',
    ],
    macPj: { int8: H45.int8 * 0.2, fp16: H45.fp16 * 0.2, fp32: H45.fp32 * 0.2 },
    opPj: 0.9 * 0.2,
    bytePj: { dram: 24, onChip: 0.9 },
    cacheBytes: 4 << 20,
    staticW: 3.5,
    macsPerSecond: { int8: 6 * 7e9, fp32: 6 * 4e9 },
    dramBytesPerSecond: 30e9,
  },
  // Any other host: the published 45 nm dynamic constants and no static power (unknown board).
  other: {
    name: 'horowitz-45nm',
    description: 'Published 45 nm constants: dynamic energy only (no static power).',
    sources: ['M. Horowitz, "Computing\'s Energy Problem (and what we can do about it)", ISSCC 2014'],
    macPj: H45,
    opPj: 0.9,
    bytePj: { dram: 1950 / 8, onChip: 100 / 8 },
    cacheBytes: 1 << 20,
    staticW: 0,
    macsPerSecond: { int8: 40e9, fp32: 20e9 },
    dramBytesPerSecond: 10e9,
  },
};
