// row.ts — one measured cell of the benchmark: an implementation at a precision, frame size and
// thread count, with its latency.
import type { Precision } from '@edgeseg/runtime';
import type { Latency } from './timing.js';

export interface Row {
  impl: 'ours' | 'ort-web';
  precision: Precision;
  /** Frame size, "HxW". */
  size: string;
  /** Threads asked for. */
  threads: number;
  /** Threads it actually ran on (ours falls back to 1 where threads are unavailable). */
  ranOn: number;
  latency: Latency;
  /**
   * 'scaling': the small frame of the resolution ratio, measured in turns with the largest size
   * (so the ratio holds while the machine's load moves); not a row of the main table.
   */
  role?: 'scaling';
}
