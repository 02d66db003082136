// features.ts — what the host's WebAssembly engine can run, found by validating tiny probe modules
// (the onnxruntime-web approach: no user-agent sniffing, the engine answers for itself).

/**
 * (module (func (result v128) i32.const 0 i8x16.splat))
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01,
  0x00, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b,
]);

/**
 * (module (func (result v128) i32.const 0 i8x16.splat i32.const 0 i8x16.splat i8x16.relaxed_swizzle))
 */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01,
  0x00, 0x0a, 0x0f, 0x01, 0x0d, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x80, 0x02, 0x0b,
]);

/**
 * (module (memory 1 1 shared) (func i32.const 0 i32.atomic.load drop))
 */
const THREADS_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
  0x05, 0x04, 0x01, 0x03, 0x01, 0x01, 0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a,
  0x0b,
]);

function validate(bytes: Uint8Array): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes as BufferSource);
  } catch {
    return false;
  }
}

export function isSimdSupported(): boolean {
  return validate(SIMD_PROBE);
}

export function isRelaxedSimdSupported(): boolean {
  return validate(RELAXED_SIMD_PROBE);
}

export function isThreadsSupported(): boolean {
  return validate(THREADS_PROBE) && typeof SharedArrayBuffer === 'function';
}

export const isNode: boolean =
  typeof process === 'object' &&
  typeof process.versions === 'object' &&
  typeof process.versions.node === 'string';

let v8FlagsTried = false;
let liftoffOff = false;

/** Node's major version, or 0 outside Node. */
function nodeMajor(): number {
  return isNode ? Number(process.versions.node.split('.')[0]) : 0;
}

/**
 * Node 20 (V8 11.3): its baseline WASM tier, Liftoff, was seen to never wake a
 * `while (atomic.load(f) == 0) atomic.wait(…)` loop after a notify (and to miscompute relaxed dot,
 * see below). TurboFan is correct, so threaded builds are compiled with `--no-liftoff` there. Flags
 * only affect modules compiled afterwards and are process-wide (worker threads included); newer
 * Node keeps Liftoff. Returns whether Liftoff is off for modules compiled from now on.
 */
export function disableLiftoffOnNodeSync(v8: { setFlagsFromString(f: string): void } | undefined): boolean {
  if (!isNode || nodeMajor() >= 22) return false;
  if (liftoffOff || !v8) return liftoffOff;
  try {
    v8.setFlagsFromString('--no-liftoff');
    liftoffOff = true;
  } catch {
    // flags refused: nothing else to do, the module still runs (the test suite would catch the bug)
  }
  return liftoffOff;
}

/** Async variant of disableLiftoffOnNodeSync (imports node:v8 itself). */
export async function disableLiftoffOnNode(): Promise<boolean> {
  if (!isNode || nodeMajor() >= 22) return false;
  if (liftoffOff) return true;
  return disableLiftoffOnNodeSync(await import('node:v8'));
}

/**
 * Node 20 (V8 11.3) keeps relaxed SIMD behind a flag. Its baseline tier (Liftoff) was seen to
 * miscompute `i32x4.relaxed_dot_i8x16_i7x16_add_s` (dot+dot instead of dot+c until tier-up), so
 * when we turn relaxed SIMD on we also compile with TurboFan only. Flags only affect modules
 * compiled afterwards, which is why the loader calls this before its first compile.
 * Returns whether relaxed SIMD validates afterwards.
 */
export async function enableRelaxedSimdOnNode(): Promise<boolean> {
  if (isRelaxedSimdSupported()) return true;
  if (!isNode || v8FlagsTried) return isRelaxedSimdSupported();
  v8FlagsTried = true;
  try {
    const v8 = await import('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    v8.setFlagsFromString('--no-liftoff');
    liftoffOff = true;
  } catch {
    // Not Node after all, or flags refused: the probe below answers.
  }
  return isRelaxedSimdSupported();
}

/** Synchronous variant for Node (used by `loadKernelsSync`). */
export function enableRelaxedSimdOnNodeSync(
  v8: { setFlagsFromString(f: string): void } | undefined,
): boolean {
  if (isRelaxedSimdSupported()) return true;
  if (!v8 || v8FlagsTried) return isRelaxedSimdSupported();
  v8FlagsTried = true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    v8.setFlagsFromString('--no-liftoff');
    liftoffOff = true;
  } catch {
    // fall through to the probe
  }
  return isRelaxedSimdSupported();
}
