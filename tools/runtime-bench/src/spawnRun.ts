// spawnRun.ts — runs threadRun.ts in a child process for one thread count and reads its JSON line.
// The child gets this process's Node flags, so it runs from sources under tsx and from dist after a
// build alike; its progress lines are passed on to `log`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ThreadJob, ThreadRunResult } from './threadRun.js';

export function spawnThreadRun(
  job: ThreadJob,
  dir: string,
  log: (s: string) => void,
): Promise<ThreadRunResult> {
  const jobPath = join(dir, `job-threads-${job.threads}.json`);
  writeFileSync(jobPath, JSON.stringify(job));
  const self = fileURLToPath(import.meta.url);
  const script = fileURLToPath(new URL(`./threadRun${extname(self)}`, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, jobPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
      for (const line of String(d).split('\n')) if (line.startsWith('progress: ')) log(line.slice(10));
    });
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as ThreadRunResult);
      } catch {
        const tail = err
          .split('\n')
          .filter((l) => l && !l.startsWith('progress: '))
          .slice(-3)
          .join(' | ');
        resolve({ ok: false, error: `the threads=${job.threads} process exited with ${code}: ${tail}` });
      }
    });
  });
}
