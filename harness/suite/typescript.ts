let registered: Promise<void> | undefined;

/** Suites may be TypeScript with no build step: tsx's loader compiles them as they are imported. */
export function allowTypeScript(): Promise<void> {
  registered ??= import('tsx/esm/api').then(({ register }) => void register());
  return registered;
}
