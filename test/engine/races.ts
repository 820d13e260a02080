/**
 * Race defects of the example platform: a suite catches each in some runs only, so one run proves
 * nothing either way and `run --repeat` must (race.engine.test.ts). Each maps to what its failure says.
 */
export const RACES: Record<string, RegExp> = {
  'boot-order-race': /platform-prime/,
};
