// Mocha's spec reporter, plus the plain closing line CI reads: 'N passed, N failed', and the test
// files that took longest, so a run over its time budget says where the time went.
const Mocha = require('mocha');
const path = require('node:path');

const SLOWEST = 8;

class ClosingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const byFile = new Map();
    let last = Date.now();
    // A file's time: from the end of the test (or hook) before its first to the end of its last.
    const count = (file) => {
      const now = Date.now();
      if (file) byFile.set(file, (byFile.get(file) ?? 0) + (now - last));
      last = now;
    };
    runner.on('test end', (t) => count(t.file));
    runner.on('hook end', (h) => count(h.file));
    runner.once('end', () => {
      const s = runner.stats;
      const slowest = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
      if (slowest.length) {
        process.stdout.write(`\nslowest test files:\n${slowest.map(([f, ms]) => `  ${(ms / 1000).toFixed(0).padStart(5)} s  ${path.relative(process.cwd(), f)}`).join('\n')}\n`);
      }
      process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}\n`);
    });
  }
}
module.exports = ClosingReporter;
