import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar, renderProgressLine } from './progress-bar.js';

describe('renderProgressLine', () => {
  it('shows done/total, percentage, rate and ETA', () => {
    const line = renderProgressLine(2_500, 10_000, 2_000, 100);
    expect(line).toMatch(/^\[█+░+\] 2,500\/10,000 {3}25% {2}1,250 img\/s {2}ETA 6s$/);
    expect((line.match(/█/g) ?? []).length * 3).toBe((line.match(/░/g) ?? []).length);
  });

  it('has no ETA before anything is done', () => {
    expect(renderProgressLine(0, 100, 0, 80)).toContain('ETA ?');
  });

  it('formats long durations', () => {
    expect(formatDuration(59_400)).toBe('59s');
    expect(formatDuration(61_000)).toBe('1m01s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });
});

describe('ProgressBar', () => {
  it('redraws one line in place, at most once per interval, and clears it at the end', () => {
    const writes: string[] = [];
    let now = 0;
    const bar = new ProgressBar({
      stream: { isTTY: true, columns: 80, write: (text: string) => writes.push(text) },
      now: () => now,
      intervalMs: 100,
    });
    now = 10;
    bar.update(100, 1000);
    now = 50;
    bar.update(200, 1000); // too soon: skipped
    now = 200;
    bar.update(300, 1000);
    now = 210;
    bar.update(1000, 1000); // the last update always draws
    bar.finish();
    expect(writes).toHaveLength(4);
    expect(writes[0]).toMatch(/^\r\[.*100\/1,000.*\u001b\[K$/);
    expect(writes[1]).toContain('300/1,000');
    expect(writes[2]).toContain('1,000/1,000  100%');
    expect(writes[3]).toBe('\r\u001b[K');
  });
});
