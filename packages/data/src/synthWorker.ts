// synthWorker.ts — worker-thread entry for writeSynthCity: renders and writes its share of frames, posting
// one message per finished frame (the parent drives the progress bar).
import { parentPort, workerData } from 'node:worker_threads';
import { runSynthJob, type SynthJob } from './synthWriter.js';

const jobs = workerData as SynthJob[];
for (const job of jobs) {
  try {
    await runSynthJob(job);
    parentPort?.postMessage({ done: true });
  } catch (e) {
    parentPort?.postMessage({ error: (e as Error).message });
    process.exit(1);
  }
}
