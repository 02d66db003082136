// calibrateWorker.ts — one thread of `edgeseg-run calibrate --threads N`: its own kernel instance, kept for
// every case. Protocol: → 'ready'; {prepare: case} → set up + warm up → 'prepared'; 'go' → time the case →
// its CaseTiming. The main thread starts all workers' windows together and, otherwise idle, samples power.
import { parentPort, workerData } from 'node:worker_threads';
import { loadKernels } from '@edgeseg/kernels';
import { type CaseName, prepareCase, timeCase } from './kernelCases.js';

const { seconds } = workerData as { seconds: number };
const port = parentPort;
if (!port) throw new Error('calibrateWorker: not started as a worker thread.');
const k = await loadKernels();
let call: (() => void) | undefined;
port.on('message', async (m: { prepare: CaseName } | 'go') => {
  if (m === 'go') {
    if (!call) throw new Error('calibrateWorker: "go" before a case was prepared.');
    port.postMessage(await timeCase(call, seconds));
  } else {
    call = prepareCase(k, m.prepare);
    call();
    call();
    port.postMessage('prepared');
  }
});
port.postMessage('ready');
