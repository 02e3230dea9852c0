// The library behind `modelarts-tags`: run the command from code, or reuse its parts (connecting to
// ModelArts or the embedded emulator, reading ID lists, terminal tables, the HTML report), as the
// repository's showcase does. The command itself is src/cli.ts.
export { EXIT_ERROR, EXIT_INCOMPLETE, EXIT_OK, runCli, type CliIo, type OutputStream } from './cli/run-cli.js';
export { FORMATS, formatResult, toJsonDocument, toTable, type OutputFormat } from './cli/output-formats.js';
export { idsFromArguments, InputError, parseIds, type IdList, type ParseIdsOptions } from './cli/read-ids.js';
export { openTarget, wantsRealService, type ClientTuning, type Target, type TargetFlags } from './shared/connection.js';
export { countTags } from './shared/describe-tags.js';
export { ansiStyle, plainStyle, type Style } from './shared/text-table.js';
export { renderReport } from './report/render-report.js';
export { reportJob, type ReportData, type ReportJob, type ReportJobInput } from './report/report-data.js';
