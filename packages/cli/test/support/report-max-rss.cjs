// Preloaded with `node -r` by tests: reports the process's peak resident set size on stderr as it exits.
process.on('exit', () => {
  process.stderr.write(`\nmax-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
