// spawn.ts — start one worker running worker.ts (the same folder), in Node (worker_threads) or a
// browser (a module Web Worker), as a comlink endpoint.
//
// Where the entry is: next to this file, `worker.js` when this file runs from dist/, `worker.ts`
// when it runs from sources (vitest, tsx). A worker does not inherit vitest's or tsx's transform, so
// from sources it is started by a small bootstrap that registers tsx's ESM loader in the worker and
// resolves workspace packages with the "@edgeseg/source" condition, as vitest does. (tsx's own
// `--import tsx` skips worker threads on Node 20; its register() API works there.)
/// <reference path="./comlinkModules.d.ts" />
import type { Endpoint } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

export interface SpawnedWorker {
  readonly endpoint: Endpoint;
  /** Rejects when the worker fails to start, throws uncaught or exits unasked. */
  readonly died: Promise<never>;
  /** Keep the process alive while this worker has work (Node); no-op in browsers. */
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

const fromSource = new URL(import.meta.url).pathname.endsWith('.ts');

function isNode(): boolean {
  return typeof process === 'object' && typeof process.versions?.node === 'string';
}

/** The URL of tsx's ESM register() API, found from this package. */
async function tsxApiUrl(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const { pathToFileURL } = await import('node:url');
  const { dirname, join } = await import('node:path');
  let pkgPath: string;
  try {
    pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  } catch {
    throw new Error(
      'runtime: worker threads from TypeScript sources need tsx (a devDependency of @edgeseg/runtime), which ' +
        'cannot be found. Expected it installed (npm install), or run from dist (npm run build).',
    );
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } } | string>;
  };
  const api = pkg.exports?.['./esm/api'];
  const rel = typeof api === 'object' ? api.import?.default : undefined;
  if (!rel) throw new Error(`runtime: tsx at ${pkgPath} has no ./esm/api export. Expected tsx ≥ 4.`);
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

async function spawnNode(): Promise<SpawnedWorker> {
  const { Worker } = await import('node:worker_threads');
  let w: import('node:worker_threads').Worker;
  if (fromSource) {
    const entry = new URL('./worker.ts', import.meta.url).href;
    const api = await tsxApiUrl();
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    w = new Worker(boot, { eval: true, execArgv: ['--conditions=@edgeseg/source'] });
  } else {
    w = new Worker(new URL('./worker.js', import.meta.url), { execArgv: [] });
  }
  let terminating = false;
  const died = new Promise<never>((_, reject) => {
    w.once('error', (e) => reject(new Error(`runtime: a worker thread failed: ${e.message}`)));
    w.once('exit', (code) => {
      if (!terminating) reject(new Error(`runtime: a worker thread exited unexpectedly (code ${code}).`));
    });
  });
  died.catch(() => {}); // observed by whoever races it; never an unhandled rejection
  return {
    endpoint: nodeEndpoint(w),
    died,
    ref: () => w.ref(),
    unref: () => w.unref(),
    async terminate() {
      terminating = true;
      await w.terminate();
    },
  };
}

function spawnBrowser(): SpawnedWorker {
  if (typeof Worker !== 'function') {
    throw new Error(
      'runtime: this host has no Web Workers. Expected Worker (a browser) or worker_threads (Node).',
    );
  }
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const died = new Promise<never>((_, reject) => {
    w.addEventListener('error', (e) => reject(new Error(`runtime: a worker failed: ${e.message}`)));
  });
  died.catch(() => {});
  return {
    endpoint: w as unknown as Endpoint,
    died,
    ref() {},
    unref() {},
    async terminate() {
      w.terminate();
    },
  };
}

export async function spawnWorker(): Promise<SpawnedWorker> {
  return isNode() ? spawnNode() : spawnBrowser();
}
