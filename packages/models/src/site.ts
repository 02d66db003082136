// site.ts — names for where in a model an op runs ("s1.b0.attn.q"), so the counting backend can
// attribute MACs and memory traffic to layers and prunable units. Outside cost accounting a site is
// a push and a pop.

const stack: string[] = [];

export function site<T>(name: string, fn: () => T): T {
  stack.push(name);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

export function currentSite(): string {
  return stack.join('.');
}
