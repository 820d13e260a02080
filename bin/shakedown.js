#!/usr/bin/env node
const { main } = await import('../dist/harness/cli/main.js');
const code = await main(process.argv);
// Exit once stdout is flushed: open SSH or Docker sockets must not keep the process alive.
process.stdout.write('', () => process.exit(code));
