// profile.ts — what a device charges for arithmetic and memory traffic (DESIGN §3.3). Built-in
// profiles carry their sources; `edgeseg-run calibrate` writes measured ones to JSON files. The profile
// type, its validating parser and the built-in profiles live in @edgeseg/runtime (the runner reads and
// writes profiles on a board that installs nothing else); they are re-exported here so compress callers
// see one module.
import { readFileSync, statSync } from 'node:fs';
import { type EnergyProfile, HOROWITZ_45NM, JETSON_ORIN_NANO, parseProfile, RPI5 } from '@edgeseg/runtime';

export {
  type EnergyProfile,
  HOROWITZ_45NM,
  JETSON_ORIN_NANO,
  parseProfile,
  RPI5,
} from '@edgeseg/runtime';

export type Precision = 'fp32' | 'int8';

export const BUILTIN_PROFILES: Record<string, EnergyProfile> = {
  [HOROWITZ_45NM.name]: HOROWITZ_45NM,
  [RPI5.name]: RPI5,
  [JETSON_ORIN_NANO.name]: JETSON_ORIN_NANO,
};

/** A built-in profile by name, or a profile JSON file by path. */
export function resolveProfile(nameOrFile: string): EnergyProfile {
  const builtin = BUILTIN_PROFILES[nameOrFile];
  if (builtin) return builtin;
  let size: number;
  try {
    size = statSync(nameOrFile).size;
  } catch {
    throw new Error(
      `--profile: "${nameOrFile}" is neither a built-in profile nor a readable file. Expected one of ${Object.keys(BUILTIN_PROFILES).join(', ')} or a JSON file.`,
    );
  }
  if (size > 1 << 20)
    throw new Error(
      `${nameOrFile}: ${size} bytes is too large for an energy profile. Expected at most 1 MiB.`,
    );
  return parseProfile(readFileSync(nameOrFile, 'utf8'), nameOrFile);
}
