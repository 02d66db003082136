// families/softmax.ts — manifest entries and typed wrappers (being written).
import type { KernelInfo } from '../kernelInfo.js';

export const softmaxKernels: KernelInfo[] = [];
