import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderMarkdown, spliceResults } from './lib/markdown.js';
import { renderScenario, type ScenarioResult } from './lib/report.js';
import { describeMachine } from './machine.js';
import { latencyScenario } from './scenarios/latency.js';
import { signingScenario } from './scenarios/signing.js';
import { throughputScenario } from './scenarios/throughput.js';
import { validationScenario } from './scenarios/validation.js';
import { footprintScenario } from './scenarios/footprint.js';
import { n8nScenario } from './scenarios/n8n.js';
import { formatsScenario } from './scenarios/formats.js';
import { wholeJobScenario } from './scenarios/whole-job.js';
import { makeSettings, type Settings } from './settings.js';

const SCENARIOS: { id: string; title: string; run: (settings: Settings) => Promise<ScenarioResult> }[] = [
  { id: '1', title: 'Per-call latency', run: latencyScenario },
  { id: '2', title: 'Signing cost', run: signingScenario },
  { id: '3', title: 'Large job throughput', run: throughputScenario },
  { id: '4', title: 'Response validation', run: validationScenario },
  { id: '5', title: 'Footprint', run: footprintScenario },
  { id: '6', title: 'n8n workflow', run: n8nScenario },
  { id: '7', title: 'Label export (COCO, YOLO)', run: formatsScenario },
  { id: '8', title: 'All the tags of a whole job', run: wholeJobScenario },
];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    'no-n8n-install': { type: 'boolean', default: false },
  },
});

const quick = values.quick === true;
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;
const log = (line: string): void => {
  if (!values.quiet) process.stderr.write(`${line}\n`);
};
const settings = makeSettings(quick, log, values['no-n8n-install'] !== true);

const started = new Date();
const machineAtStart = describeMachine();
process.stdout.write(
  `modelarts-kit benchmarks${quick ? ' (quick smoke run: reduced sizes, numbers not comparable)' : ''}\n` +
    `machine: ${machineAtStart.cpuModel}, ${machineAtStart.nproc} CPUs, ${machineAtStart.memoryGiB} GiB, Node ${machineAtStart.node}, load ${machineAtStart.loadAverage.join(' ')}\n`,
);

const results: ScenarioResult[] = [];
for (const scenario of SCENARIOS) {
  if (only && !only.has(scenario.id)) continue;
  log(`\n[${scenario.id}] ${scenario.title}...`);
  const t0 = performance.now();
  let result: ScenarioResult;
  try {
    result = await scenario.run(settings);
  } catch (error) {
    result = {
      id: scenario.id,
      title: scenario.title,
      status: 'failed',
      reason: error instanceof Error ? (error.stack ?? error.message) : String(error),
      method: [],
      tables: [],
      ratios: [],
      targets: [],
      notes: [],
      data: {},
      seconds: (performance.now() - t0) / 1000,
    };
  }
  results.push(result);
  process.stdout.write(`${renderScenario(result)}\n`);
}

const finished = new Date();
const report = {
  command: 'npm run bench',
  quick,
  only: only ? [...only] : null,
  startedAt: started.toISOString(),
  finishedAt: finished.toISOString(),
  seconds: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
  machine: { ...machineAtStart, loadAverageAtEnd: describeMachine().loadAverage },
  scenarios: results,
};
const complete = !quick && !only;
const file = new URL(complete ? '../results/latest.json' : '../results/partial.tmp.json', import.meta.url);
mkdirSync(new URL('.', file), { recursive: true });
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `\nTotal ${report.seconds} s. Results written to bench/results/${complete ? 'latest.json' : 'partial.tmp.json (partial or quick run)'}\n`,
);
if (complete) {
  // The numbers part of BENCHMARKS.md follows every full run; the prose around it is written by hand.
  const doc = new URL('../../BENCHMARKS.md', import.meta.url);
  if (existsSync(doc)) {
    const before = readFileSync(doc, 'utf8');
    const after = spliceResults(before, renderMarkdown(report, results));
    if (after !== before) writeFileSync(doc, after);
    process.stdout.write('BENCHMARKS.md updated with these numbers.\n');
  }
}
if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
