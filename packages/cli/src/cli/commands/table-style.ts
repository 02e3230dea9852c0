import { ansiStyle, plainStyle, type Style } from '../../shared/text-table.js';
import type { CliIo } from '../run-cli.js';

/** A table's width and colours: the terminal's width and bold headers on a terminal (unless NO_COLOR), plain otherwise. */
export function tableStyle(io: CliIo): { maxWidth: number | undefined; style: Style } {
  const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
  return { maxWidth: io.stdout.isTTY ? io.stdout.columns : undefined, style: color ? ansiStyle : plainStyle };
}
