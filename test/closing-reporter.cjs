// Mocha's spec reporter, plus the plain closing line CI reads: 'N passed, N failed'.
const Mocha = require('mocha');
class ClosingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = runner.stats;
      process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}\n`);
    });
  }
}
module.exports = ClosingReporter;
