import { formatNumber, ratioTable, type ScenarioResult, type Table } from './report.js';
import type { MachineInfo } from '../machine.js';

function markdownTable({ columns, rows }: Table): string {
  const numeric = columns.map((_, c) => rows.every((row) => typeof row[c] === 'number'));
  const escapePipes = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    `| ${columns.map(escapePipes).join(' | ')} |`,
    `| ${columns.map((_, c) => (numeric[c] ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map((cell) => escapePipes(formatNumber(cell))).join(' | ')} |`),
  ].join('\n');
}

export interface RunInfo {
  startedAt: string;
  seconds: number;
  machine: MachineInfo & { loadAverageAtEnd: number[] };
}

/** The numbers of one full run as Markdown, for the generated part of BENCHMARKS.md. */
export function renderMarkdown(run: RunInfo, results: readonly ScenarioResult[]): string {
  const m = run.machine;
  const out: string[] = [
    `Run of ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(run.seconds / 6) / 10} minutes: ${m.cpuModel}, ${m.nproc} CPUs, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform} (kernel ${m.kernel}); load average ${m.loadAverage.join(' / ')} at the start, ${m.loadAverageAtEnd.join(' / ')} at the end.`,
    '',
    '| scenario | target | measured | |',
    '| --- | --- | ---: | --- |',
  ];
  for (const r of results) {
    if (r.status !== 'ok') {
      out.push(`| ${r.id}. ${r.title} | - | ${r.status} | ${(r.reason ?? '').split('\n')[0]!.replace(/\|/g, '\\|')} |`);
      continue;
    }
    for (const t of r.targets) {
      out.push(`| ${r.id} | ${t.description} | ${formatNumber(t.measured)} ${t.unit} | ${t.met ? 'met' : '**missed**'} |`);
    }
  }
  for (const r of results) {
    out.push('', `### ${r.id}. ${r.title}`, '');
    if (r.status !== 'ok') {
      out.push(`**${r.status}**: ${r.reason ?? ''}`);
      continue;
    }
    for (const line of r.method) out.push(`- ${line}`);
    for (const { title, table } of r.tables) out.push('', `${title}:`, '', markdownTable(table));
    if (r.ratios.length > 0) out.push('', markdownTable(ratioTable(r.ratios)));
    if (r.notes.length > 0) out.push('', ...r.notes.map((n) => `- ${n}`));
  }
  return out.join('\n');
}

export const RESULTS_START = '<!-- results:start (written by npm run bench; do not edit by hand) -->';
export const RESULTS_END = '<!-- results:end -->';

/** Replaces the generated part of a document, keeping the prose around it. */
export function spliceResults(document: string, generated: string): string {
  const start = document.indexOf(RESULTS_START);
  const end = document.indexOf(RESULTS_END);
  if (start === -1 || end === -1 || end < start) return document;
  return `${document.slice(0, start + RESULTS_START.length)}\n${generated}\n${document.slice(end)}`;
}
