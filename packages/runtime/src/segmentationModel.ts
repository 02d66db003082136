// segmentationModel.ts — what a loaded model offers a caller (the Pi runner, a browser page): the
// contract between the executor and its users, kept free of how the graph runs.

export interface ModelInfo {
  /** "edgeseg/1" */
  format: string;
  /** Architecture name and the (possibly excised) architecture description. */
  arch: string;
  archJson: unknown;
  /** 'int8' or 'fp32'. */
  precision: 'int8' | 'fp32';
  params: number;
  /** MACs per frame at `input` (0 = the file records none). */
  macs: number;
  /** Set when `macs` is not the file's own count (loadModel's inputSize): how it was obtained. */
  macsNote?: string;
  classes: string[];
  /** RGB per class. */
  palette: [number, number, number][];
  input: { height: number; width: number; mean: [number, number, number]; std: [number, number, number] };
  /** Free-form provenance: teacher, dataset, seed, metrics, energy profile… */
  provenance: Record<string, string>;
}

export interface SegmentationResult {
  /** Class id per pixel of the model input (input.height × input.width). */
  classes: Uint8Array;
  height: number;
  width: number;
  /** Milliseconds spent in the network (preprocessing excluded). */
  inferenceMs: number;
}

export interface SegmentationModel {
  readonly info: ModelInfo;
  /** Threads the model runs on (1 = the calling thread). */
  readonly threads: number;
  /**
   * Segment one image given as interleaved 8-bit RGB of width×height: resized to the model input
   * (bilinear), normalized, run, argmaxed at the input resolution.
   */
  segment(rgb: Uint8Array, width: number, height: number): Promise<SegmentationResult>;
  dispose(): Promise<void>;
}
