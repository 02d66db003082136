// module.ts — a tree of layers whose parameters are found by walking fields: a persistent tensor
// that requires grad is a parameter, one that does not is a buffer (BatchNorm's running stats),
// a Module or an array of Modules is a child. Names follow the fields ("stages.0.attn.q.weight").
import type { Backend } from '../backend/backend.js';
import { Tensor } from '../tensor.js';

export abstract class Module {
  training = true;

  /** [name, tensor] of every parameter (requiresGrad) and buffer below this module. */
  namedTensors(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [key, v] of Object.entries(this)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (v instanceof Tensor && v.persistent) out.push([name, v]);
      else if (v instanceof Module) out.push(...v.namedTensors(name));
      else if (Array.isArray(v)) {
        v.forEach((item, i) => {
          if (item instanceof Module) out.push(...item.namedTensors(`${name}.${i}`));
          else if (item instanceof Tensor && item.persistent) out.push([`${name}.${i}`, item]);
        });
      }
    }
    return out;
  }

  namedParameters(): [string, Tensor][] {
    return this.namedTensors().filter(([, t]) => t.requiresGrad);
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** [path, module] of this module and every module below it ("" is this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [key, v] of Object.entries(this)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (v instanceof Module) out.push(...v.namedModules(name));
      else if (Array.isArray(v)) {
        v.forEach((item, i) => {
          if (item instanceof Module) out.push(...item.namedModules(`${name}.${i}`));
        });
      }
    }
    return out;
  }

  modules(): Module[] {
    const out: Module[] = [this];
    for (const v of Object.values(this)) {
      if (v instanceof Module) out.push(...v.modules());
      else if (Array.isArray(v))
        for (const item of v) if (item instanceof Module) out.push(...item.modules());
    }
    return out;
  }

  train(on = true): this {
    for (const m of this.modules()) m.training = on;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Release every parameter and buffer (the module is unusable afterwards). */
  dispose(): void {
    for (const [, t] of this.namedTensors()) {
      t.grad?.dispose();
      t.dispose();
    }
  }

  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}

/** A persistent non-trainable tensor (running statistics). */
export function buffer(backend: Backend, shape: number[], value = 0): Tensor {
  const t = Tensor.param(backend, shape);
  backend.fill(t.storage, value);
  t.requiresGrad = false;
  return t;
}
