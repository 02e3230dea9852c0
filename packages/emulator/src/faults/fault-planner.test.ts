import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, type FaultConfig } from './fault-config.js';
import { FaultPlanner, type FaultPlan } from './fault-planner.js';

const batches = Array.from({ length: 10_000 }, (_, i) => [`img-${i}`, `img-${i}-b`]);
const kindOf = (plan: FaultPlan) => plan.kind;

function planAll(config: FaultConfig | undefined, jobId = '282', seed = 1): string[] {
  const planner = new FaultPlanner(config, seed);
  return batches.map((batch) => kindOf(planner.plan(jobId, batch)));
}

describe('FaultPlanner', () => {
  it('injects nothing by default', () => {
    expect(new Set(planAll(undefined))).toEqual(new Set(['none']));
  });

  it('repeats its decisions for the same seed', () => {
    expect(planAll({ rate: 0.2, seed: 9 })).toEqual(planAll({ rate: 0.2, seed: 9 }));
  });

  it('decides otherwise for another seed', () => {
    expect(planAll({ rate: 0.2, seed: 9 })).not.toEqual(planAll({ rate: 0.2, seed: 10 }));
  });

  it("uses the emulator's seed when the faults have none", () => {
    expect(planAll({ rate: 0.2 }, '282', 5)).toEqual(planAll({ rate: 0.2, seed: 5 }, '282', 99));
  });

  it('hits about the configured rate, spreading over every kind', () => {
    const kinds = planAll({ rate: 0.1, seed: 3 });
    const faults = kinds.filter((kind) => kind !== 'none');
    expect(faults.length).toBeGreaterThan(800);
    expect(faults.length).toBeLessThan(1_200);
    for (const kind of FAULT_KINDS) expect(faults.filter((k) => k === kind).length).toBeGreaterThan(60);
  });

  it('draws only the configured kinds', () => {
    expect(new Set(planAll({ rate: 1, kinds: ['429', 'reset'] }))).toEqual(new Set(['429', 'reset']));
  });

  it('does not depend on the order in which batches arrive', () => {
    const forward = new FaultPlanner({ rate: 0.3 }, 1);
    const backward = new FaultPlanner({ rate: 0.3 }, 1);
    const inOrder = batches.slice(0, 500).map((batch) => kindOf(forward.plan('282', batch)));
    const reversed = [...batches.slice(0, 500)].reverse().map((batch) => kindOf(backward.plan('282', batch)));
    expect(reversed.reverse()).toEqual(inOrder);
  });

  it('gives a retried batch a fresh draw, so retries eventually succeed', () => {
    const planner = new FaultPlanner({ rate: 0.5 }, 1);
    const attempts = Array.from({ length: 40 }, () => kindOf(planner.plan('282', ['same', 'batch'])));
    expect(attempts).toContain('none');
    expect(new Set(attempts).size).toBeGreaterThan(2);
  });

  it('lets a job override the global settings', () => {
    const config: FaultConfig = { rate: 0, jobs: { '287': { rate: 1, kinds: ['503'] } } };
    expect(new Set(planAll(config, '282'))).toEqual(new Set(['none']));
    expect(new Set(planAll(config, '287'))).toEqual(new Set(['503']));
  });

  it('plays a sequence first, then falls back to the rate', () => {
    const planner = new FaultPlanner({ sequence: ['429', null, 'reset'] }, 1);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => kindOf(planner.plan('282', [id])))).toEqual(['429', 'none', 'reset', 'none', 'none']);
  });

  it('keeps a separate place in the sequence for a job with settings of its own', () => {
    const planner = new FaultPlanner({ sequence: ['500'], jobs: { '287': { sequence: ['429', '429'] } } }, 1);
    expect(kindOf(planner.plan('287', ['a']))).toBe('429');
    expect(kindOf(planner.plan('282', ['a']))).toBe('500');
    expect(kindOf(planner.plan('287', ['b']))).toBe('429');
    expect(kindOf(planner.plan('282', ['b']))).toBe('none');
  });

  it('refuses batches above the size limit, and only those', () => {
    const planner = new FaultPlanner({ maxBatchSize: 2 }, 1);
    expect(planner.plan('282', ['a', 'b'])).toEqual({ kind: 'none' });
    expect(planner.plan('282', ['a', 'b', 'c'])).toEqual({ kind: 'batch-limit', maxBatchSize: 2 });
  });

  it('hands the resolved settings to the fault', () => {
    const plan = new FaultPlanner({ rate: 1, kinds: ['delay'], delayMs: 1234 }, 1).plan('282', ['a']);
    expect(plan).toMatchObject({ kind: 'delay', settings: { delayMs: 1234, retryAfterSeconds: 1 } });
  });

  it.each<[string, FaultConfig, RegExp]>([
    ['a rate above 1', { rate: 1.5 }, /faults.rate must be between 0 and 1/],
    ['a negative rate', { rate: -0.1 }, /faults.rate/],
    ['an unknown kind', { kinds: ['418' as never] }, /unknown fault kind '418'/],
    ['an unknown kind in a sequence', { sequence: ['teapot' as never] }, /unknown fault kind 'teapot'/],
    ['an empty kind list', { rate: 0.5, kinds: [] }, /kinds must not be empty/],
    ['a zero batch limit', { maxBatchSize: 0 }, /maxBatchSize must be a positive integer/],
    ['a negative delay', { delayMs: -1 }, /delayMs/],
    ['a fractional Retry-After', { retryAfterSeconds: 0.5 }, /retryAfterSeconds/],
    ['a bad job setting', { jobs: { '287': { rate: 2 } } }, /faults.jobs\['287'\].rate/],
  ])('rejects %s, naming the field', (_, config, message) => {
    expect(() => new FaultPlanner(config, 1)).toThrow(message);
  });
});
