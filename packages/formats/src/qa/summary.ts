import { FINDING_KINDS, type FindingKind, type QaReport } from './check-labels.js';

const TITLES: Record<FindingKind, string> = {
  boxOutsideImage: 'boxes outside the image',
  zeroAreaBox: 'zero-area boxes',
  invertedBox: 'inverted boxes',
  boxWithoutSize: 'boxes on images without a size',
  imageWithoutTags: 'images without tags',
  tagNotInTagList: "tags not in the job's tag list",
  tagCountMismatch: "tag counts that differ from the job's statistics",
};

/** The QA report for people: totals, then each kind with up to `perKind` findings. */
export function formatQaSummary(report: QaReport, { perKind = 10 }: { perKind?: number } = {}): string {
  const lines: string[] = [];
  const total = report.findings.length;
  lines.push(`Label QA: ${report.images} image(s), ${report.boxes} box(es), ${total === 0 ? 'no findings' : `${total} finding(s)`}`);
  for (const kind of FINDING_KINDS) {
    const count = report.counts[kind];
    if (count === 0) continue;
    lines.push('', `${TITLES[kind]}: ${count}`);
    const shown = report.findings.filter((finding) => finding.kind === kind).slice(0, perKind);
    for (const finding of shown) lines.push(`  ${finding.message}`);
    if (count > shown.length) lines.push(`  ... and ${count - shown.length} more`);
  }
  if (report.tags.length > 0) {
    lines.push(
      '',
      `tags (images / boxes${report.tags.some((t) => t.expectedImages !== undefined) ? ' / images per the job statistics)' : ')'}`,
    );
    for (const tag of report.tags) {
      lines.push(`  ${tag.tag}: ${tag.images} / ${tag.boxes}${tag.expectedImages !== undefined ? ` / ${tag.expectedImages}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
