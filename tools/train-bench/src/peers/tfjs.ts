// tfjs.ts — load @tensorflow/tfjs-core with @tensorflow/tfjs-backend-wasm (XNNPACK inside) in Node, one
// thread, as the training peer of `npm run bench:train -- --peer tfjs`. They are devDependencies of this
// tool and always installed: a failure to load is an error, never a silent skip.
//
// Gradients: tfjs-core's Node bundle (dist/tf-core.node.js) registers no gradient at all — tf.grads on it
// fails with "gradient function not found for <Kernel>". tfjs-core's gradient configs ship only as
// unbundled ESM with extension-less imports (dist/register_all_gradients.js, not loadable by Node) and
// inside the Node bundles of @tensorflow/tfjs and @tensorflow/tfjs-layers, which register them into the
// process-global registry when loaded. We load @tensorflow/tfjs-layers for that side effect (same 4.22.0
// configs as the union package; it peer-depends on tfjs-core only, where @tensorflow/tfjs would also pull
// the WebGL backend, the converter and tfjs-data).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';

export type Tf = typeof TfCore;
export type TfTensor = TfCore.Tensor;
export type TfVariable = TfCore.Variable;

let tfPromise: Promise<Tf> | undefined;

/** tfjs-core on the 'wasm' backend, single-threaded (SIMD build, no pthreads). */
export function loadTfjsWasm(): Promise<Tf> {
  tfPromise ??= (async () => {
    const tf = (await import('@tensorflow/tfjs-core')) as Tf;
    await import('@tensorflow/tfjs-layers');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(join(dist, '/'));
    wasm.setThreadsCount?.(1);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) {
      throw new Error('tfjs peer: tf.setBackend("wasm") failed; see the messages tfjs printed above.');
    }
    await tf.ready();
    if (tf.getBackend() !== 'wasm') throw new Error(`tfjs peer: backend is ${tf.getBackend()}, not wasm.`);
    return tf;
  })();
  return tfPromise;
}

/** Bytes of the wasm backend's linear memory (it only grows: the high-water mark of the heap). */
export function wasmHeapBytes(tf: Tf): number {
  const be = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return be.wasm?.HEAPU8?.buffer.byteLength ?? Number.NaN;
}
