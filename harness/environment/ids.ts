import { randomBytes } from 'node:crypto';

export const newRunId = () => `r${new Date().toISOString().replace(/\D/g, '').slice(2, 14)}${randomBytes(2).toString('hex')}`;
export const newEnvId = () => `e${randomBytes(4).toString('hex')}`;
