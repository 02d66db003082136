// stageDir.ts — one pipeline stage's folder (DESIGN §3.4): its artifact, its checkpoint and a
// stage.json with config, metrics, timing and the artifact's hash. stage.json is written last and
// atomically, so "stage.json says done" means the artifact is complete; a rerun skips done stages
// and resumes an unfinished one from its checkpoint.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@edgeseg/safetensors';

export interface StageInput {
  config: unknown;
  metrics: Record<string, unknown>;
  started: string;
  seconds: number;
  /** Anything else the stage records (history, architecture, …). */
  extra?: Record<string, unknown>;
}

export interface StageRecord extends StageInput {
  stage: string;
  status: 'done';
  finished: string;
  /** sha256 of each artifact file, by file name. */
  hashes: Record<string, string>;
}

export class StageDir {
  readonly dir: string;
  constructor(
    readonly runDir: string,
    readonly name: string,
  ) {
    this.dir = join(runDir, name);
    mkdirSync(this.dir, { recursive: true });
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  get checkpointPath(): string {
    return this.path('checkpoint.safetensors');
  }

  hasCheckpoint(): boolean {
    return existsSync(this.checkpointPath);
  }

  record(): StageRecord | null {
    const p = this.path('stage.json');
    if (!existsSync(p)) return null;
    try {
      const r = JSON.parse(readFileSync(p, 'utf8')) as StageRecord;
      return r.status === 'done' ? r : null;
    } catch {
      return null;
    }
  }

  get done(): boolean {
    return this.record() !== null;
  }

  /** Write stage.json (atomically) after hashing the artifacts. */
  finish(r: StageInput, artifacts: string[]): StageRecord {
    const hashes: Record<string, string> = {};
    for (const a of artifacts)
      hashes[a] = createHash('sha256')
        .update(readFileSync(this.path(a)))
        .digest('hex');
    const full: StageRecord = {
      ...r,
      stage: this.name,
      status: 'done',
      finished: new Date().toISOString(),
      hashes,
    };
    writeFileAtomic(this.path('stage.json'), `${JSON.stringify(full, null, 2)}\n`);
    return full;
  }
}
