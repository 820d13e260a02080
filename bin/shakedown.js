#!/usr/bin/env node
// Ryuk, testcontainers' reaper, cannot be pulled here: Shakedown labels and reaps its own objects.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
const { main } = await import('../dist/harness/cli/main.js');
const code = await main(process.argv);
// Exit once stdout is flushed: open SSH or Docker sockets must not keep the process alive.
process.stdout.write('', () => process.exit(code));
