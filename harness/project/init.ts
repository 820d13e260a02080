import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../errors.js';
import { recipesDir } from '../paths.js';
import { PROJECT_FILE } from './load.js';

/** The converge tools `shakedown init` has a starting project for. */
export const INIT_TOOLS = ['shell', 'ansible', 'puppet'] as const;
export type InitTool = (typeof INIT_TOOLS)[number];

/** Where the starting projects live: `common/` for every tool, then one folder per tool. */
export const initRecipes = path.join(recipesDir, 'init');

/** A tool's `converge:` block, spliced into common/shakedown.yml at `{{converge}}` rather than written. */
const CONVERGE_FRAGMENT = 'converge.yml';

/** One file of a starting project, relative to the project folder. */
export interface StarterFile {
  path: string;
  content: string;
  mode: number;
}

/**
 * A project name the schema accepts, from a folder's name: lower case, runs of anything else
 * turned into one dash, starting with a letter, at most 31 characters.
 */
export function projectName(folder: string): string {
  const name = path
    .basename(path.resolve(folder))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 31)
    .replace(/-+$/, '');
  return name || 'project';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

const fill = (text: string, name: string) => text.replaceAll('{{name}}', name);

/** Every file of the starting project for `tool`, its paths and contents filled in for `name`. */
export function starterFiles(tool: InitTool, name: string): StarterFile[] {
  const from = (dir: string, skip: string[] = []) =>
    filesUnder(dir)
      .map((file) => ({ file, rel: path.relative(dir, file) }))
      .filter(({ rel }) => !skip.includes(rel))
      .map(({ file, rel }) => ({ path: fill(rel, name), content: fill(readFileSync(file, 'utf8'), name), mode: statSync(file).mode & 0o111 ? 0o755 : 0o644 }));
  const toolDir = path.join(initRecipes, tool);
  const converge = readFileSync(path.join(toolDir, CONVERGE_FRAGMENT), 'utf8').trimEnd();
  const files = [...from(path.join(initRecipes, 'common')), ...from(toolDir, [CONVERGE_FRAGMENT])];
  const project = files.find((f) => f.path === PROJECT_FILE)!;
  project.content = project.content.replace('{{converge}}', fill(converge, name));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The first path a file would be written to, or a folder made at, that is taken. */
function firstTaken(dir: string, files: StarterFile[]): string | undefined {
  for (const f of files) {
    const file = path.join(dir, f.path);
    if (existsSync(file)) return file;
    for (let up = path.dirname(file); up !== dir && up.startsWith(dir); up = path.dirname(up)) {
      if (existsSync(up) && !statSync(up).isDirectory()) return up;
    }
  }
  return undefined;
}

/** Writes the files into `dir`, or none of them if any exists already. */
export function writeStarter(dir: string, files: StarterFile[]): void {
  const taken = firstTaken(path.resolve(dir), files);
  if (taken) {
    const shown = path.relative(process.cwd(), taken) || taken;
    throw new BadInputError(`${shown} already exists: shakedown init writes nothing over existing files (move it away, or pass --project DIR for a new folder)`);
  }
  for (const f of files) {
    const to = path.join(dir, f.path);
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, f.content, { mode: f.mode, flag: 'wx' });
  }
}

/** Writes a starting project for `tool` into `dir`, named after the folder; returns its name and files. */
export function initProject(dir: string, tool: InitTool): { name: string; files: string[] } {
  const name = projectName(dir);
  const files = starterFiles(tool, name);
  writeStarter(dir, files);
  return { name, files: files.map((f) => f.path) };
}
