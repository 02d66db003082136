// glob.ts — a small glob for `--input 'frames/*.jpg'` and sysfs patterns (`hwmon/hwmon*`): `*`, `?`, `[…]`
// within one path segment, `**` for any depth. Node 20 has no fs.glob. Names starting with "." match only
// a pattern segment that starts with "." (as in a shell). Symlinked folders are followed, except by `**`
// (sysfs is full of link cycles).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export function hasMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** One path segment's pattern as an anchored RegExp. */
export function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir === '' ? '.' : dir);
  } catch {
    return [];
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path === '' ? '.' : path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function descendants(dir: string, depth: number, out: string[]): Promise<void> {
  out.push(dir);
  if (depth === 0) return;
  let list: import('node:fs').Dirent[];
  try {
    list = await readdir(dir === '' ? '.' : dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of list) {
    if (d.isDirectory() && !d.name.startsWith('.')) await descendants(join(dir, d.name), depth - 1, out);
  }
}

/** Paths matching `pattern`, sorted; relative patterns give relative paths. */
export async function glob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segs = pattern.split('/').filter((s) => s !== '' && s !== '.');
  let bases = [absolute ? '/' : ''];
  for (const seg of segs) {
    const next: string[] = [];
    if (seg === '**') {
      for (const b of bases) await descendants(b, 32, next);
    } else if (!hasMagic(seg)) {
      for (const b of bases) next.push(b === '' ? seg : join(b, seg));
    } else {
      const re = segmentRegExp(seg);
      for (const b of bases) {
        for (const name of await entries(b)) {
          if (name.startsWith('.') && !seg.startsWith('.')) continue;
          if (re.test(name)) next.push(b === '' ? name : join(b, name));
        }
      }
    }
    bases = [...new Set(next)];
    if (bases.length === 0) return [];
  }
  const out: string[] = [];
  for (const p of bases) if (await exists(p)) out.push(p);
  return out.sort();
}

export { isDir };
