// softmax.ts — softmax and log-softmax over the last axis.
import { Function } from '../function.js';
import { Tensor } from '../tensor.js';

export class Softmax extends Function {
  private y!: Tensor;
  private log = false;
  forward(x: Tensor, log: boolean): Tensor {
    this.log = log;
    const cols = x.shape[x.shape.length - 1];
    const y = new Tensor(x.backend, x.shape);
    x.backend.softmax(x.storage, y.storage, x.size / cols, cols, log);
    if (this.needsInputGrad[0]) this.y = this.save(y);
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const cols = g.shape[g.shape.length - 1];
    const dx = new Tensor(g.backend, g.shape);
    g.backend.softmaxGrad(this.y.storage, g.storage, dx.storage, g.size / cols, cols, this.log);
    return [dx];
  }
}
