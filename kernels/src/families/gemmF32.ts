// families/gemmF32.ts — manifest entries and typed wrappers (being written).
import type { KernelInfo } from '../kernelInfo.js';

export const gemmF32Kernels: KernelInfo[] = [];
