import { BadInputError } from '../../errors.js';
import { info } from '../../log.js';
import type { ServerSpec } from '../provider.js';
import type { PlannedServer } from './program.js';
import { instanceTypeOf, type AwsSettings } from './settings.js';

/**
 * AWS's published on-demand prices, US East (N. Virginia), Linux, USD per hour; other regions
 * differ by a few per cent. A type not listed is shown without a price.
 */
export const ON_DEMAND_USD_PER_HOUR: Record<string, number> = {
  't3.micro': 0.0104, 't3.small': 0.0208, 't3.medium': 0.0416, 't3.large': 0.0832,
  't3a.micro': 0.0094, 't3a.small': 0.0188, 't3a.medium': 0.0376, 't3a.large': 0.0752,
  't4g.micro': 0.0084, 't4g.small': 0.0168, 't4g.medium': 0.0336,
  'm5.large': 0.096, 'm6i.large': 0.096, 'm6i.xlarge': 0.192, 'm7i.large': 0.1008,
  'c5.large': 0.085, 'c6i.large': 0.085, 'r6i.large': 0.126,
};
/** gp3 at $0.08 per GiB-month, and a public IPv4 address at $0.005 per hour. */
export const GP3_USD_PER_GIB_HOUR = 0.08 / 730;
export const PUBLIC_IPV4_USD_PER_HOUR = 0.005;
/** Each instance's root volume, as Debian's official AMIs make it. */
export const ROOT_GIB = 8;

export interface CostPreview {
  instances: number;
  byType: Record<string, number>;
  volumes: number;
  volumeGiB: number;
  publicAddresses: number;
  /** Undefined when some instance type has no listed price. */
  usdPerHour?: number;
  lines: string[];
}

/** What `environments` copies of these servers create, and what they cost per hour at on-demand prices. */
export function costPreview(servers: Pick<PlannedServer, 'spec' | 'instanceType'>[], environments: number, volumeSize: number): CostPreview {
  const instances = servers.length * environments;
  const byType: Record<string, number> = {};
  for (const s of servers) byType[s.instanceType] = (byType[s.instanceType] ?? 0) + environments;
  const volumes = servers.reduce((n, s) => n + s.spec.volumes.length, 0) * environments;
  const publicAddresses = servers.filter((s) => s.spec.publish.length).length * environments;
  const priced = Object.entries(byType).map(([t, n]) => (ON_DEMAND_USD_PER_HOUR[t] === undefined ? undefined : ON_DEMAND_USD_PER_HOUR[t]! * n));
  const usdPerHour = priced.includes(undefined)
    ? undefined
    : priced.reduce((a: number, b) => a + b!, 0) + (volumes * volumeSize + instances * ROOT_GIB) * GP3_USD_PER_GIB_HOUR + publicAddresses * PUBLIC_IPV4_USD_PER_HOUR;
  const types = Object.entries(byType).map(([t, n]) => `${n} × ${t}`).join(', ');
  const lines = [
    `at most ${environments} environment(s) at once: ${instances} instances (${types}) with ${ROOT_GIB} GiB roots, ${volumes} EBS volume(s) of ${volumeSize} GiB, ${publicAddresses} public address(es)`,
    usdPerHour === undefined
      ? `cost: no published price listed here for ${Object.keys(byType).filter((t) => ON_DEMAND_USD_PER_HOUR[t] === undefined).join(', ')}`
      : `cost: about $${usdPerHour.toFixed(3)} per hour at AWS's published on-demand prices (US East)`,
  ];
  return { instances, byType, volumes, volumeGiB: volumes * volumeSize, publicAddresses, usdPerHour, lines };
}

/**
 * Prints what a run may create at once on AWS and what it costs, and refuses it, before anything
 * is created, when its instances exceed the bound.
 */
export function admitCost(settings: AwsSettings, widest: ServerSpec[], workers: number, maxInstances: number): CostPreview {
  const preview = costPreview(widest.map((spec) => ({ spec, instanceType: instanceTypeOf(settings, spec.role) })), workers, settings.volumeSize);
  for (const line of preview.lines) info({}, line);
  if (preview.instances > maxInstances) {
    throw new BadInputError(
      `--workers ${workers} could run ${preview.instances} instances at once (${widest.length} servers each), over --max-instances ${maxInstances}: run fewer workers or raise --max-instances`,
    );
  }
  return preview;
}
