// adamw_params.ts — the precondition both adamw_f32 files assert (not an entry point).
import { checkDisjoint, checkSpan } from '../spans';

/** p, g, m, v: four spans of n f32 inside the memory; p, m, v (written) overlap nothing. */
// @ts-ignore: decorator
@inline export function checkAdamw(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f32,
  c1: f32,
  c2: f32,
  eps: f32,
  bc1: f32,
  bc2: f32,
): void {
  if (ASC_NO_ASSERT) return;
  checkSpan(p, n);
  checkSpan(g, n);
  checkSpan(m, n);
  checkSpan(v, n);
  checkDisjoint(p, n, m, n);
  checkDisjoint(p, n, v, n);
  checkDisjoint(m, n, v, n);
  checkDisjoint(g, n, p, n);
  checkDisjoint(g, n, m, n);
  checkDisjoint(g, n, v, n);
  assert(lr >= 0 && eps >= 0); // NaN fails too
  assert(c1 > 0 && c1 <= 1 && c2 > 0 && c2 <= 1);
  assert(bc1 > 0 && bc1 <= 1 && bc2 > 0 && bc2 <= 1);
}
