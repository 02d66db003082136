// builtinProfiles.ts — the built-in energy profiles, with their sources: what a device charges for
// arithmetic and memory traffic until `edgeseg-run calibrate` measures it (DESIGN §3.3). They live in the
// runtime, beside the profile type, because both the trainer (@edgeseg/compress's energy model) and the
// runner on a board (which installs @edgeseg/runtime only) use them.
import type { EnergyProfile } from './energyProfile.js';

// Horowitz, "Computing's Energy Problem", ISSCC 2014, 45 nm, 0.9 V (REFERENCE.md §3.5):
// 8b mult 0.2 pJ, 32b add 0.1, fp16 mult 1.1 + add 0.4, fp32 mult 3.7 + add 0.9;
// DRAM 1.3–2.6 nJ per 64-bit access; 1 MB SRAM 100 pJ per 64-bit access.
const H45 = { int8: 0.2 + 0.1, fp16: 1.1 + 0.4, fp32: 3.7 + 0.9 };

export const HOROWITZ_45NM: EnergyProfile = {
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
};

/**
 * Raspberry Pi 5: Cortex-A76 ×4 at 2.4 GHz (16 nm), LPDDR4X-4267, 2 MB shared L3. Estimates: the 45 nm
 * constants scaled by 0.3 for 16 nm FinFET (C·V² scaling, a rough factor), LPDDR4X ≈ 4 pJ/bit,
 * idle ≈ 2.7 W at the USB-C input. Calibrate on the board for real figures.
 */
export const RPI5: EnergyProfile = {
  name: 'rpi5',
  description: 'Raspberry Pi 5 (Cortex-A76 ×4, LPDDR4X): estimates until calibrated on the board.',
  sources: [
    'Horowitz ISSCC 2014 constants × 0.3 (45 nm → 16 nm technology factor, estimate)',
    'LPDDR4X access energy ≈ 4 pJ/bit (JEDEC-class LPDDR4X, estimate)',
    'Pi 5 idle ≈ 2.7–3 W at the USB-C input (REFERENCE.md §3.2)',
    'WASM SIMD throughput per A76 core ≈ 6 GMAC/s fp32, 10 GMAC/s int8 (estimate; kernel-bench on a Pi gives the real figure)',
  ],
  macPj: { int8: H45.int8 * 0.3, fp16: H45.fp16 * 0.3, fp32: H45.fp32 * 0.3 },
  opPj: 0.9 * 0.3,
  bytePj: { dram: 32, onChip: 1.2 },
  cacheBytes: 2 << 20,
  staticW: 2.7,
  macsPerSecond: { int8: 4 * 10e9, fp32: 4 * 6e9 },
  dramBytesPerSecond: 12e9,
};

/**
 * Jetson Orin Nano (8 GB): Cortex-A78AE ×6 at 1.5 GHz (8 nm), LPDDR5, 4 MB L3. The runner uses the CPU
 * (WASM); the GPU is not modelled. Estimates as for the Pi, with a 0.2 technology factor for 8 nm,
 * LPDDR5 ≈ 3 pJ/bit and VDD_IN idle ≈ 3–5 W.
 */
export const JETSON_ORIN_NANO: EnergyProfile = {
  name: 'jetson-orin-nano',
  description: 'Jetson Orin Nano CPU (Cortex-A78AE ×6, LPDDR5): estimates until calibrated on the board.',
  sources: [
    'Horowitz ISSCC 2014 constants × 0.2 (45 nm → 8 nm technology factor, estimate)',
    'LPDDR5 access energy ≈ 3 pJ/bit (estimate)',
    'Orin Nano dev kit VDD_IN at idle ≈ 3.0–4.9 W in public tegrastats samples (REFERENCE.md §3.1)',
    'WASM SIMD throughput per A78AE core ≈ 4 GMAC/s fp32, 7 GMAC/s int8 (estimate)',
  ],
  macPj: { int8: H45.int8 * 0.2, fp16: H45.fp16 * 0.2, fp32: H45.fp32 * 0.2 },
  opPj: 0.9 * 0.2,
  bytePj: { dram: 24, onChip: 0.9 },
  cacheBytes: 4 << 20,
  staticW: 3.5,
  macsPerSecond: { int8: 6 * 7e9, fp32: 6 * 4e9 },
  dramBytesPerSecond: 30e9,
};
