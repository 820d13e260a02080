import { randomBytes } from 'node:crypto';

export const newRunId = () => `r${new Date().toISOString().replace(/\D/g, '').slice(2, 14)}${randomBytes(2).toString('hex')}`;
export const newEnvId = () => `e${randomBytes(4).toString('hex')}`;

/** An environment id as newEnvId makes it: e and 8 hex digits. */
export const isEnvId = (id: string) => /^e[0-9a-f]{8}$/.test(id);
