// Brings one stack up with the moto program and holds it open on one server: the engine test
// kills this process's group with SIGKILL in the middle of the update.
import { EnvStacks } from '../../harness/provider/aws/stacks.js';
import { ownerLabels } from '../../harness/provider/labels.js';
import type { StackPlan } from '../../harness/provider/aws/program.js';
import { motoProgram } from './moto-program.js';

const [backend, planJson, hold] = process.argv.slice(2);
const plan = JSON.parse(planJson!) as StackPlan;
plan.owner.expires = new Date(plan.owner.expires);
await new EnvStacks(backend!).up(plan.owner.env, ownerLabels(plan.owner), motoProgram(plan, { hold: { server: hold!, ms: 600_000 } }), {});
