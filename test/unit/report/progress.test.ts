import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { formatDuration, formatElapsed } from '../../../harness/report/duration.js';
import { Progress, renderBlock, unitDoneLine, type WorkerView } from '../../../harness/report/progress.js';

/** A stream that keeps what is written to it. */
function fakeStream(columns?: number) {
  const chunks: string[] = [];
  const stream = { columns, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, tick: (ms: number) => (t += ms) };
}

describe('report/progress', () => {
  it('formats elapsed time compactly', () => {
    assert.deepEqual([0, 999, 12_345, 59_999, 60_000, 65_000, 3_599_000, 3_723_000, -5].map(formatElapsed), ['0s', '0s', '12s', '59s', '1m00s', '1m05s', '59m59s', '1h02m', '0s']);
  });

  it('formats durations for reading', () => {
    assert.deepEqual([850, 12_345, 185_000, 3_723_000].map(formatDuration), ['850 ms', '12.3 s', '3 m 05 s', '1 h 02 m']);
  });

  describe('renderBlock', () => {
    const now = 1_000_000;
    const views: WorkerView[] = [
      { worker: 1, state: 'running', label: 'functional/backup-restore', since: now - 12_400, env: 'e1a2b3c4', envUp: now - 40_000 },
      { worker: 2, state: 'launching', label: 'small', since: now - 3_000, env: 'e5f6a7b8' },
      { worker: 3, state: 'idle', since: now - 125_000 },
      { worker: 10, state: 'done', since: now - 5_000 },
    ];

    it('gives one line per worker with the time in its current state and its environment’s age', () => {
      assert.deepEqual(renderBlock(views, now), [
        'w1  running    functional/backup-restore 12s · env e1a2b3c4 up 40s',
        'w2  launching  small 3s · env e5f6a7b8',
        'w3  idle       2m05s',
        'w10 done',
      ]);
    });

    it('moves with the clock', () => {
      assert.equal(renderBlock(views.slice(0, 1), now + 60_000)[0], 'w1 running    functional/backup-restore 1m12s · env e1a2b3c4 up 1m40s');
    });

    it('cuts lines to the terminal width so none wraps', () => {
      const lines = renderBlock(views, now, 30);
      assert.ok(lines.every((l) => l.length <= 29), lines.join('\n'));
      assert.equal(lines[0], 'w1  running    functional/ba…');
    });
  });

  describe('Progress', () => {
    it('off a terminal, prints only a plain line per finished unit', () => {
      const { stream, chunks } = fakeStream();
      const clock = fakeClock();
      const p = new Progress(2, { tty: false, stream, now: clock.now });
      p.set(1, 'launching', 'small', 'e1a2b3c4');
      p.set(1, 'running', 'functional/backup-restore');
      clock.tick(12_345);
      p.unitDone(1, 'functional/backup-restore', 'passed', 12_345);
      p.stop();
      assert.deepEqual(chunks, ['w1 functional/backup-restore passed 12.3 s\n']);
      assert.equal(unitDoneLine(2, 'reboot', 'failed', 185_000), 'w2 reboot failed 3 m 05 s');
    });

    it('in a terminal, redraws the block in place and prints finished units above it', () => {
      const { stream, chunks } = fakeStream(120);
      const clock = fakeClock();
      const p = new Progress(2, { tty: true, stream, now: clock.now });
      try {
        p.set(1, 'launching', 'small', 'e1a2b3c4');
        assert.equal(chunks[0], '\x1b[Jw1 launching  small 0s · env e1a2b3c4\nw2 idle       0s\n');
        clock.tick(7_000);
        p.set(1, 'running', 'build');
        clock.tick(5_000);
        p.unitDone(1, 'build', 'passed', 5_000);
        assert.equal(chunks[2], '\x1b[2A\r\x1b[Jw1 build passed 5.0 s\nw1 running    build 5s · env e1a2b3c4 up 5s\nw2 idle       12s\n');
      } finally {
        p.stop();
      }
      const last = chunks.length;
      p.unitDone(2, 'reboot', 'failed', 1000);
      assert.deepEqual(chunks.slice(last), ['w2 reboot failed 1.0 s\n'], 'after stop, no more redrawing');
    });

    it('keeps a state’s start when told the same state again, and forgets the environment when idle', () => {
      const { stream } = fakeStream();
      const clock = fakeClock();
      const p = new Progress(1, { tty: false, stream, now: clock.now });
      const views = (p as unknown as { views: WorkerView[] }).views;
      p.set(1, 'running', 'build', 'e1');
      clock.tick(3000);
      p.set(1, 'running', 'build');
      assert.equal(renderBlock(views, clock.now())[0], 'w1 running    build 3s · env e1 up 3s');
      p.set(1, 'idle');
      assert.equal(renderBlock(views, clock.now())[0], 'w1 idle       0s');
    });

    it('names the bad worker number', () => {
      const p = new Progress(2, { tty: false, stream: fakeStream().stream });
      assert.throws(() => p.set(3, 'running'), /Expected a worker from 1 to 2, got 3/);
      assert.throws(() => new Progress(0, { tty: false, stream: fakeStream().stream }), /from 1 and up, got 0/);
    });
  });
});
