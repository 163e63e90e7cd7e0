import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cumulative, hash32, Random } from './prng.ts';

test('Random: same seed, same sequence; the first values are pinned', () => {
  const a = new Random(1);
  const b = new Random(1);
  const xs = Array.from({ length: 5 }, () => a.uint32());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.uint32()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => new Random(2).uint32()),
  );
  // Pinned so that a change of algorithm (which would change every seeded store) is noticed.
  assert.deepEqual(xs, PINNED);
});

test('Random: ranges and weights', () => {
  const r = new Random(9);
  const counts = [0, 0, 0];
  const table = cumulative([1, 2, 7]);
  for (let i = 0; i < 100_000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    const n = r.range(3, 5);
    assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
    counts[r.weighted(table)]!++;
  }
  assert.ok(Math.abs(counts[0]! / 100_000 - 0.1) < 0.01);
  assert.ok(Math.abs(counts[2]! / 100_000 - 0.7) < 0.01);
});

test('hash32 is FNV-1a', () => {
  assert.equal(hash32(''), 0x811c9dc5);
  assert.equal(hash32('a'), 0xe40c292c);
});

const PINNED = [1828152527, 3394835397, 2967886022, 2251045104, 4148684523];
