import Dockerode from 'dockerode';
import { getContainerRuntimeClient, getReaper, type ContainerRuntimeClient } from 'testcontainers';
import { BadInputError, InfrastructureError, ShakedownError } from '../../errors.js';

let client: Promise<ContainerRuntimeClient> | undefined;

/** The Docker engine, found the way testcontainers finds it (DOCKER_HOST, then the local socket). */
export async function engine(): Promise<{ client: ContainerRuntimeClient; docker: Dockerode }> {
  // Ryuk, testcontainers' reaper, cannot be pulled here: Shakedown labels and reaps its own objects.
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // Inside a container testcontainers would run alpine to find the host's gateway, pulling it from a
  // registry; Shakedown publishes only on 127.0.0.1 and reads the port itself.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  client ??= explicitHostAnswers()
    .then(getContainerRuntimeClient)
    // Settle testcontainers' (disabled) reaper once: its first lookup takes a file lock, and
    // parallel container starts would otherwise queue on that lock with half-second retries.
    .then(async (c) => (await getReaper(c), c))
    .catch((error) => {
    client = undefined;
    throw classifyDockerError('connect to the Docker engine', error);
  });
  const c = await client;
  return { client: c, docker: c.container.dockerode };
}

/**
 * testcontainers falls back to the local socket when DOCKER_HOST does not answer; a user who
 * named an engine must get that engine or an error, never another engine silently.
 */
async function explicitHostAnswers(): Promise<void> {
  if (!process.env.DOCKER_HOST) return;
  await new Dockerode({ timeout: 5000 }).ping();
}

interface DockerError extends Error {
  statusCode?: number;
  code?: string;
  json?: { message?: string };
}

/** The one place where Docker's errors enter: each becomes an error of ours that says what to do. */
export function classifyDockerError(doing: string, error: unknown): ShakedownError {
  if (error instanceof ShakedownError) return error;
  const e = error as DockerError;
  const detail = (e.json?.message ?? e.message ?? String(error)).split('\n')[0] ?? '';
  const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (/working container runtime strategy|ECONNREFUSED|ENOENT|EACCES|connect/.test(detail) && !e.statusCode) {
    return new InfrastructureError(`cannot ${doing}: Docker engine unreachable at ${where} (${detail}); start it with 'bash scripts/setup.sh'`, { cause: error });
  }
  if (e.statusCode === 404 && /image/i.test(detail)) {
    return new InfrastructureError(`cannot ${doing}: ${detail}; build images with 'npx shakedown images build'`, { cause: error });
  }
  if (e.statusCode === 400) return new BadInputError(`cannot ${doing}: Docker rejected the request: ${detail}`, { cause: error });
  return new InfrastructureError(`cannot ${doing}: ${detail}`, { cause: error });
}

/** Runs a Docker call, classifying whatever it throws. */
/** Longer than any call takes on a working engine, even a loaded one. */
const ENGINE_ANSWER_MS = 120_000;

/**
 * One Docker call, its failure classified, and bounded: an engine that takes a request and never
 * answers (seen once with dockerd 20.10, whose removals waited forever on dead runc shims) ends
 * the run with exit 3 instead of hanging it.
 */
export async function dockerCall<T>(doing: string, call: () => Promise<T>, withinMs = ENGINE_ANSWER_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InfrastructureError(`the Docker engine did not answer '${doing}' within ${withinMs / 1000} s: it may be wedged; restart dockerd, then run 'shakedown janitor'`)),
      withinMs,
    );
  });
  try {
    return await Promise.race([call(), silent]);
  } catch (error) {
    throw error instanceof InfrastructureError ? error : classifyDockerError(doing, error);
  } finally {
    clearTimeout(timer);
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as DockerError).statusCode === 404;
}

/** Someone else is removing this container: another sweep, or the destroy of a run that was killed meanwhile. */
export function isRemovalInProgress(error: unknown): boolean {
  const e = error as DockerError;
  return e.statusCode === 409 && /already in progress/.test(e.json?.message ?? e.message ?? '');
}

/** Docker still counts an endpoint on a network no container uses. */
export function hasActiveEndpoints(error: unknown): boolean {
  const e = error as DockerError;
  return /has active endpoints/.test(e.json?.message ?? e.message ?? '');
}
