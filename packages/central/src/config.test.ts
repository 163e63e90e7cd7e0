import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { isOnshiError } from '@onshi/core';
import { configVariables, loadConfig } from './config.ts';

describe('config', () => {
  it('applies defaults and freezes the result', () => {
    const config = loadConfig({});
    assert.equal(config.storeUrl, 'sqlite:.onshi/central.db');
    assert.equal(config.port, 8080);
    assert.equal(config.tls, undefined);
    assert.ok(Object.isFrozen(config));
  });

  it('runs the retention purge hourly by default, or every N minutes, or never (0)', () => {
    assert.equal(loadConfig({}).retention.intervalMinutes, 60);
    assert.equal(loadConfig({ ONSHI_RETENTION_INTERVAL_MINUTES: '15' }).retention.intervalMinutes, 15);
    assert.equal(loadConfig({ ONSHI_RETENTION_INTERVAL_MINUTES: '0' }).retention.intervalMinutes, 0);
  });

  it('answers batch rows in cores − 2 threads by default (auto; at least 2 on SQLite, 1 on PostgreSQL), or as many as set', () => {
    const cores = availableParallelism();
    assert.equal(loadConfig({}).batch.answerThreads, Math.min(8, Math.max(2, cores - 2)));
    const pg = loadConfig({ ONSHI_STORE: 'postgres://db/onshi' });
    assert.equal(pg.batch.answerThreads, Math.min(8, Math.max(1, cores - 2)));
    assert.equal(loadConfig({ ONSHI_BATCH_ANSWER_THREADS: '3' }).batch.answerThreads, 3);
    assert.equal(loadConfig({ ONSHI_BATCH_ANSWER_THREADS: '0' }).batch.answerThreads, 0);
  });

  it('lets overrides win over the environment', () => {
    const config = loadConfig({ ONSHI_PORT: '9000' }, { ONSHI_PORT: '9001' });
    assert.equal(config.port, 9001);
  });

  it('refuses bad values with CONFIG_INVALID', () => {
    for (const env of [
      { ONSHI_PORT: 'eighty' },
      { ONSHI_PORT: '70000' },
      { ONSHI_STORE: 'mysql://x' },
      { ONSHI_TLS_KEY_FILE: 'key.pem' },
      { ONSHI_MAX_MESSAGE_BYTES: '-1' },
      { ONSHI_RETENTION_INTERVAL_MINUTES: 'hourly' },
      { ONSHI_BATCH_ANSWER_THREADS: 'many' },
    ]) {
      assert.throws(
        () => loadConfig(env),
        (error) => isOnshiError(error) && error.code === 'CONFIG_INVALID',
      );
    }
  });

  it('is documented in the README, variable by variable', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    // Cells are trimmed: the formatter pads table columns.
    const rows = readme.split('\n').map((line) => line.split('|').map((cell) => cell.trim()));
    for (const [name, fallback] of configVariables) {
      const row = rows.find((cells) => cells[1] === `\`${name}\``);
      assert.ok(row, `README lacks a row for ${name}`);
      assert.equal(row[2], fallback === '' ? '—' : `\`${fallback}\``, `README default of ${name} is stale`);
    }
  });
});
