// families/gemmI8.ts — manifest entries and typed wrappers (being written).
import type { KernelInfo } from '../kernelInfo.js';

export const gemmI8Kernels: KernelInfo[] = [];
