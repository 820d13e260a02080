import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../errors.js';
import { PROJECT_FILE, type Project } from './load.js';

/** Where a project's configuration code came from: a commit of its repository, or a working tree. */
export interface Origin {
  /** What was asked for: a branch, a tag, a commit, or 'working-tree'. */
  ref: string;
  /** The full commit id, or 'none' outside a git repository. */
  commit: string;
  /** The working tree differs from the commit in the files an image is made of. */
  dirty: boolean;
}

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The repository holding the project, and the project's folder inside it ('' at the top). */
export function repositoryOf(root: string): { top: string; prefix: string } | undefined {
  const top = git(root, ['rev-parse', '--show-toplevel']);
  if (top === undefined) return undefined;
  return { top, prefix: git(root, ['rev-parse', '--show-prefix']) ?? '' };
}

/** The commit a ref names; bad input if the project is not in a repository or the ref names nothing. */
export function resolveRef(root: string, ref: string): string {
  if (!repositoryOf(root)) throw new BadInputError(`--ref ${ref}: ${root} is not in a git repository; build from the working tree (no --ref), or run 'git init' and commit`);
  const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit) throw new BadInputError(`--ref ${ref}: no such branch, tag or commit in ${root}; see 'git branch -a' and 'git tag'`);
  return commit;
}

/** The working tree's origin: HEAD's commit, dirty if the project file or the converge source differ from it. */
export function workingTreeOrigin(p: Project): Origin {
  const commit = git(p.root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (!commit) return { ref: 'working-tree', commit: 'none', dirty: false };
  const changed = git(p.root, ['status', '--porcelain', '--untracked-files=all', '--', p.file, p.converge.source]);
  const branch = git(p.root, ['symbolic-ref', '--short', '--quiet', 'HEAD']);
  return { ref: branch ?? 'HEAD', commit, dirty: changed === undefined || changed !== '' };
}

/**
 * The project as it was at a commit: its folder extracted with `git archive` (never the working
 * tree) under the project's state folder, once per commit. The top-level package.json is left out,
 * so suites there resolve their imports (Shakedown's among them) from the project's own packages.
 */
export function treeAt(root: string, commit: string): string {
  const repo = repositoryOf(root)!;
  const dest = path.join(root, '.shakedown', 'trees', commit.slice(0, 16));
  if (existsSync(path.join(dest, PROJECT_FILE))) return dest;
  const part = `${dest}.part-${process.pid}`;
  rmSync(part, { recursive: true, force: true });
  mkdirSync(part, { recursive: true });
  const tree = `${commit}:${repo.prefix}`;
  const listed = git(repo.top, ['cat-file', '-e', `${tree}${PROJECT_FILE}`]);
  if (listed === undefined) {
    rmSync(part, { recursive: true, force: true });
    throw new BadInputError(`commit ${commit.slice(0, 12)} has no ${repo.prefix}${PROJECT_FILE}: pick a ref made after the project file was committed`);
  }
  const tar = execFileSync('git', ['archive', '--format=tar', tree], { cwd: repo.top, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', part, '--anchored', '--exclude=package.json', '--exclude=node_modules'], { input: tar });
  rmSync(dest, { recursive: true, force: true });
  renameSync(part, dest);
  return dest;
}
