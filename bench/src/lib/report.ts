import type { Ratio, Summary } from './rounds.js';
import { round } from './stats.js';

export interface Target {
  /** What is promised, e.g. "ours <= 1.10 x fetch (median latency)". */
  description: string;
  measured: number;
  /** `<=` the limit or `>=` the limit. */
  op: '<=' | '>=';
  limit: number;
  unit: string;
  met: boolean;
}

export interface Table {
  columns: string[];
  rows: (string | number)[][];
}

export interface ScenarioResult {
  id: string;
  title: string;
  status: 'ok' | 'not run' | 'failed';
  /** Why the scenario did not run or failed. */
  reason?: string;
  /** How it was measured, one line each. */
  method: string[];
  rounds?: number;
  tables: { title: string; table: Table }[];
  ratios: Ratio[];
  targets: Target[];
  notes: string[];
  /** The raw numbers behind the tables, for the JSON file. */
  data: Record<string, unknown>;
  seconds: number;
}

export function target(description: string, measured: number, op: '<=' | '>=', limit: number, unit = 'x'): Target {
  const met = op === '<=' ? measured <= limit : measured >= limit;
  return { description, measured, op, limit, unit, met };
}

export function formatNumber(value: number | string, digits = 3): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(Math.max(0, digits - 2));
  if (abs >= 1) return value.toFixed(Math.max(0, digits - 1));
  return value.toPrecision(digits);
}

export function renderTable({ columns, rows }: Table): string {
  const cells = [columns, ...rows.map((row) => row.map((cell) => formatNumber(cell)))];
  const widths = columns.map((_, c) => Math.max(...cells.map((row) => String(row[c] ?? '').length)));
  const line = (row: (string | number)[]): string =>
    row
      .map((cell, c) => {
        const text = String(cell ?? '');
        // Text left, numbers right.
        return c === 0 || typeof rows[0]?.[c] === 'string' ? text.padEnd(widths[c]!) : text.padStart(widths[c]!);
      })
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function ratioTable(ratios: readonly Ratio[]): Table {
  return {
    columns: ['ratio (per round, then median)', 'median', 'min', 'max'],
    rows: ratios.map((r) => [r.name, r.median, r.min, r.max]),
  };
}

/** Images per second of each variant over the rounds, and the time a job of `images` takes at the median. */
export function throughputTable(rows: readonly { name: string; imagesPerSecond: Summary }[], images: number): Table {
  return {
    columns: ['variant', 'images/s', 'min', 'max', 'job seconds'],
    rows: rows.map((r) => [
      r.name,
      r.imagesPerSecond.median,
      r.imagesPerSecond.min,
      r.imagesPerSecond.max,
      round(images / r.imagesPerSecond.median, 3),
    ]),
  };
}

export function renderScenario(result: ScenarioResult): string {
  const out: string[] = [`\n=== ${result.id}. ${result.title} ===`];
  if (result.status !== 'ok') {
    out.push(`${result.status}: ${result.reason ?? ''}`);
    return out.join('\n');
  }
  for (const line of result.method) out.push(`  ${line}`);
  for (const { title, table } of result.tables) {
    out.push('', title ? `${title}:` : '', renderTable(table));
  }
  if (result.ratios.length > 0) out.push('', renderTable(ratioTable(result.ratios)));
  if (result.targets.length > 0) {
    out.push('');
    for (const t of result.targets) {
      out.push(
        `  [${t.met ? 'met   ' : 'MISSED'}] ${t.description}: ${formatNumber(t.measured)} ${t.unit} (target ${t.op} ${t.limit} ${t.unit})`,
      );
    }
  }
  for (const note of result.notes) out.push(`  note: ${note}`);
  out.push(`  (${result.seconds.toFixed(1)} s)`);
  return out.join('\n');
}
