import { expectedLaunchMs, median, type History } from './history.js';

/** How long a launch of each topology takes: this run's launches once there are any, else the history's. */
export class LaunchTimes {
  private readonly measured = new Map<string, number[]>();

  constructor(private readonly history: History) {}

  record(topology: string, ms: number): void {
    this.measured.set(topology, [...(this.measured.get(topology) ?? []), ms]);
  }

  expectedMs(topology: string): number | undefined {
    return median(this.measured.get(topology) ?? []) ?? expectedLaunchMs(this.history, topology);
  }

  /** Every launch measured in this run, for the history. */
  all(): { topology: string; ms: number }[] {
    return [...this.measured].flatMap(([topology, ms]) => ms.map((m) => ({ topology, ms: m })));
  }
}
