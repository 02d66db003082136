// ref.ts — the reference backend: plain TS loops over Float64Array (for gradient checks) or
// Float32Array. Slow on purpose-free terms: it is the oracle every other backend is tested against.
import { ArrayBackend } from './arrayBackend.js';
import type { FArray, Storage } from './backend.js';

class RefStorage implements Storage {
  refs = 1;
  constructor(readonly data: FArray) {}
  get length(): number {
    return this.data.length;
  }
}

export class RefBackend extends ArrayBackend {
  readonly name: string;
  readonly f64: boolean;

  constructor(opts: { f64?: boolean } = {}) {
    super();
    this.f64 = opts.f64 ?? false;
    this.name = this.f64 ? 'ref-f64' : 'ref';
  }

  alloc(n: number): Storage {
    return new RefStorage(this.f64 ? new Float64Array(n) : new Float32Array(n));
  }

  release(s: Storage): void {
    if (--s.refs < 0) throw new Error('ref backend: storage released more often than it was referenced.');
  }

  view(s: Storage): FArray {
    return (s as RefStorage).data;
  }
}
