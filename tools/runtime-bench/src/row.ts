// row.ts — one measured cell of the benchmark: an implementation at a precision, frame size and
// thread count, with its latency.
import type { Precision } from '@edgeseg/runtime';
import type { Latency } from './timing.js';

export interface FrameCpu {
  /** CPU ms of the whole frame, summed over its threads. */
  totalMs: number;
  /** CPU ms of the busiest thread (threads > 1; the frame's critical path on idle cores). */
  maxThreadMs?: number;
  /** Ms the busiest thread waited at barriers, and barriers per frame (threads > 1). */
  waitMs?: number;
  barriers?: number;
}

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
   * CPU time per timed frame (means), ours only: the frame's total over its threads, and with threads
   * the busiest thread's share and its barrier waits. Unlike wall time this does not count the
   * slices other jobs of a shared machine take, so it shows how evenly a frame splits even when the
   * wall-clock speed-up cannot be measured.
   */
  cpu?: FrameCpu;
  /**
   * 'scaling': the small frame of the resolution ratio, measured in turns with the largest size
   * (so the ratio holds while the machine's load moves); not a row of the main table.
   */
  role?: 'scaling';
}
