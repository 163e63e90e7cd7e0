import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { formatDuration, progressBar, renderProgress } from './progress.ts';

test('renderProgress shows count, percentage, rate and ETA', () => {
  assert.equal(
    renderProgress('seed', 'persons', 250_000, 1_000_000, 5),
    'seed [#####---------------] 250,000/1,000,000 persons 25.0% 50,000/s ETA 0:15',
  );
  assert.match(renderProgress('seed', '', 0, 10, 0), /ETA --:--$/);
});

test('formatDuration', () => {
  assert.equal(formatDuration(75), '1:15');
  assert.equal(formatDuration(3725), '1:02:05');
});

test('progressBar redraws in place on a terminal, throttled', () => {
  let out = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        out += String(chunk);
        callback();
      },
    }),
    { isTTY: true },
  );
  let t = 0;
  const bar = progressBar({ label: 'seed', unit: 'persons', stream, now: () => t });
  bar.update(10, 100);
  t = 50;
  bar.update(20, 100); // throttled
  t = 1000;
  bar.update(100, 100);
  bar.done();
  const frames = out.split('\r').filter(Boolean);
  assert.equal(frames.length, 3);
  assert.ok(frames[2]!.endsWith('\n'));
  assert.match(frames[1]!, /100\.0% 100\/s/);
});

test('progressBar prints a line at most every 5 s on a pipe, and the final state once', () => {
  let out = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      out += String(chunk);
      callback();
    },
  });
  let t = 0;
  const bar = progressBar({ label: 'seed', stream, now: () => t });
  bar.update(1, 10);
  t = 1000;
  bar.update(5, 10);
  t = 6000;
  bar.update(10, 10);
  bar.done();
  assert.deepEqual(
    out
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[2]),
    ['1/10', '10/10'],
  );
});
