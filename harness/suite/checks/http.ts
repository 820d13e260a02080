import type { Server } from '../../environment/server.js';
import { shellQuote } from '../../environment/server.js';
import { assertNone } from './failure.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpExpectation {
  status?: number;
  body?: string | RegExp;
  header?: Record<string, string | RegExp>;
}

/** Parses `curl -si` output: status line, headers, blank line, body. */
export function parseCurl(output: string): HttpResponse | undefined {
  const split = output.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const [statusLine = '', ...headerLines] = output.slice(0, split).split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = Object.fromEntries(headerLines.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]));
  return { status, headers, body: output.slice(split + 4) };
}

const test = (value: string, p: string | RegExp) => (typeof p === 'string' ? value.includes(p) : p.test(value));

export function evaluateHttp(res: HttpResponse | undefined, want: HttpExpectation): string[] {
  if (!res) return ['no HTTP response'];
  const problems: string[] = [];
  if (want.status !== undefined && res.status !== want.status) problems.push(`status ${res.status}, expected ${want.status} (body: ${res.body.slice(0, 120).trim()})`);
  if (want.body !== undefined && !test(res.body, want.body)) problems.push(`body lacks ${want.body} (body: ${res.body.slice(0, 120).trim()})`);
  for (const [name, p] of Object.entries(want.header ?? {})) {
    const v = res.headers[name.toLowerCase()];
    if (v === undefined || !test(v, p)) problems.push(`header ${name} is ${v ?? 'missing'}, expected ${p}`);
  }
  return problems;
}

/** Makes an HTTP request from a server (usually the bastion), as a client inside the environment would. */
export async function httpFrom(server: Server, url: string, opts: { method?: string; data?: string } = {}): Promise<HttpResponse | undefined> {
  const method = opts.method ? ` -X ${opts.method}` : '';
  const data = opts.data !== undefined ? ` --data-binary ${shellQuote(opts.data)}` : '';
  const r = await server.sh(`curl -si --max-time 10${method}${data} ${shellQuote(url)}`);
  return r.ok ? parseCurl(r.stdout) : undefined;
}

/** The endpoint answers, from the given server, with the status, body and headers declared. */
export async function expectHttp(server: Server, url: string, want: HttpExpectation, opts?: { method?: string; data?: string }): Promise<HttpResponse> {
  const res = await httpFrom(server, url, opts);
  assertNone(server.name, `HTTP ${opts?.method ?? 'GET'} ${url}`, evaluateHttp(res, want));
  return res!;
}
