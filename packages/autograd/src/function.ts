// function.ts — one differentiable op (forward and backward side by side), gradient mode and memory
// scopes. No runtime imports: every op module extends Function, so this file must evaluate first.
//
// Memory: a WASM backend's memory is not garbage collected, so tensors are released explicitly.
// `tidy(fn)` releases every tensor created inside fn except the ones it returns and persistent ones
// (parameters, their gradients, optimizer state). A Function keeps what backward needs as aliases
// (shared storage, refcounted) and drops them as soon as its backward ran, so memory stays flat
// across training steps.
import type { Backend } from './backend/backend.js';
import type { Tensor } from './tensor.js';

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Run fn without recording a graph (inference, the teacher, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && (v as { isTensor?: boolean }).isTensor === true;
}

const scopes: Set<Tensor>[] = [];

/** Called by every new tensor: the innermost scope will release it. */
export function track(t: Tensor): void {
  if (scopes.length > 0) scopes[scopes.length - 1].add(t);
}

/** Take a tensor out of scope tracking (it becomes the caller's to release). */
export function untrack(t: Tensor): void {
  for (const s of scopes) s.delete(t);
}

/**
 * Run fn and release every tensor it created, except those in its result (a tensor, an array or a
 * record of tensors), which move to the enclosing scope.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  const keep = new Set<Tensor>();
  collect(result, keep);
  for (const t of scope) {
    if (keep.has(t)) track(t);
    else if (!t.persistent) t.dispose();
  }
  return result;
}

function collect(v: unknown, out: Set<Tensor>): void {
  if (isTensor(v)) out.add(v);
  else if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (v && typeof v === 'object' && !(v instanceof Promise))
    for (const x of Object.values(v)) collect(x, out);
}

/** Thrown by ops that have no backward. */
export class BackwardNotSupported extends Error {
  constructor(op: string) {
    super(`${op}: backward is not supported for this op.`);
  }
}

/**
 * One differentiable op. Subclasses implement `forward` (compute; `save` what backward needs) and
 * `backward` (one gradient per tensor input, null where `needsInputGrad` is false).
 */
export abstract class Function {
  inputs: Tensor[] = [];
  needsInputGrad: boolean[] = [];
  private saved: Tensor[] = [];

  get backend(): Backend {
    return this.inputs[0].backend;
  }

  /** Keep t for backward (an alias: the caller may dispose t). */
  protected save(t: Tensor): Tensor {
    const a = t.alias();
    untrack(a);
    this.saved.push(a);
    return a;
  }

  abstract forward(...args: unknown[]): Tensor;
  abstract backward(grad: Tensor): (Tensor | null)[];

  releaseSaved(): void {
    for (const t of this.saved) t.dispose();
    this.saved = [];
  }

  static apply<F extends Function>(this: new () => F, ...args: unknown[]): Tensor {
    const fn = new this();
    fn.inputs = args.filter(isTensor);
    const record = gradEnabled && fn.inputs.some((t) => t.requiresGrad);
    fn.needsInputGrad = fn.inputs.map((t) => record && t.requiresGrad);
    const out = fn.forward(...args);
    if (record) {
      out.requiresGrad = true;
      out.ctx = fn;
    } else {
      fn.releaseSaved();
      fn.inputs = [];
    }
    return out;
  }
}
