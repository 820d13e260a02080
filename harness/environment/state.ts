import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../errors.js';
import { stateDir } from '../paths.js';
import type { KeyPair } from '../ssh/keys.js';
import type { EnvironmentRecord } from './environment.js';
import { isEnvId } from './ids.js';
import { removeSshDirs } from './ssh-dir.js';

/** A kept environment's state file: its record and the key to reach it, readable by its owner only. */
export interface KeptState {
  record: EnvironmentRecord;
  key: KeyPair;
}

const envsDir = () => path.join(stateDir(), 'envs');
const fileOf = (id: string) => path.join(envsDir(), `${id}.json`);

export function saveKept(state: KeptState): void {
  mkdirSync(envsDir(), { recursive: true, mode: 0o700 });
  writeFileSync(fileOf(state.record.id), JSON.stringify(state, null, 2), { mode: 0o600 });
  chmodSync(fileOf(state.record.id), 0o600);
}

export function loadKept(id: string): KeptState {
  if (!isEnvId(id)) throw new BadInputError(`'${id}' is not an environment id: see 'shakedown env ls'`);
  if (!existsSync(fileOf(id))) throw new BadInputError(`no kept environment ${id} in ${envsDir()}: see 'shakedown env ls'`);
  return JSON.parse(readFileSync(fileOf(id), 'utf8')) as KeptState;
}

export function listKept(): string[] {
  return existsSync(envsDir()) ? readdirSync(envsDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : [];
}

/** Forgets a kept environment: its state file and the key folders `env ssh` left for it. */
export function forgetKept(id: string): void {
  rmSync(fileOf(id), { force: true });
  removeSshDirs(id);
}
