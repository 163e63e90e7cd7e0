/** The reader-channel client against a stand-in terminal: paths, token, answers and errors. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createReaderChannelClient } from './channel.ts';
import { startTerminalDouble, type TerminalDouble } from './test-support.ts';

/** A server answering every request with `status` and `body`. */
async function answering(status: number, body: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('reader channel client', () => {
  let terminal: TerminalDouble;
  before(async () => {
    terminal = await startTerminalDouble({ token: 'the-reader-token' });
  });
  after(() => terminal?.close());

  it('speaks the ADR table: settings, challenges, events, each with the bearer token', async () => {
    const channel = createReaderChannelClient({
      terminalUrl: `${terminal.url}/`,
      token: 'the-reader-token\n',
    });
    const since = terminal.received.length;
    assert.deepEqual(await channel.settings(), terminal.settings);
    const { challenge, expiresAt } = await channel.challenge();
    assert.equal(Buffer.from(challenge, 'base64').length, 32);
    assert.ok(!Number.isNaN(Date.parse(expiresAt)));
    await channel.event({ kind: 'pin-wrong', triesLeft: 2 });
    assert.deepEqual(
      terminal.received.slice(since).map((r) => [r.method, r.path, r.authorization, r.body]),
      [
        ['GET', '/reader/v1/settings', 'Bearer the-reader-token', undefined],
        ['POST', '/reader/v1/challenges', 'Bearer the-reader-token', {}],
        ['POST', '/reader/v1/events', 'Bearer the-reader-token', { kind: 'pin-wrong', triesLeft: 2 }],
      ],
    );
  });

  it('reads the token for each request when given a function (a token file that changes)', async () => {
    let token = 'old';
    const channel = createReaderChannelClient({ terminalUrl: terminal.url, token: () => token });
    await assert.rejects(channel.settings(), {
      code: 'READER_TOKEN_INVALID',
      message: 'カードリーダーの認証トークンが正しくありません。',
    });
    token = 'the-reader-token';
    assert.equal((await channel.settings()).institutionCode, terminal.settings.institutionCode);
  });

  it("keeps the terminal's code and message when the catalogue has the code", async () => {
    const channel = createReaderChannelClient({ terminalUrl: terminal.url, token: 'the-reader-token' });
    const proof = { challenge: 'AAAA', certificate: 'AAAA', signature: 'AAAA', authMethod: 'face' as const };
    await assert.rejects(channel.confirm({ ...proof, consents: {} }), {
      code: 'PKI_CARD_SIGNATURE_INVALID',
      status: 401,
      message: 'challenge not issued or already used',
    });
  });

  it('an unknown code, a body that is not JSON, or a malformed answer: READER_TERMINAL_ERROR', async () => {
    for (const [status, body, detail] of [
      [500, '{"code":"TERMINAL_SOMETHING_NEW","message":"新しい"}', /TERMINAL_SOMETHING_NEW: 新しい/],
      [502, '<html>bad gateway</html>', /bad gateway/],
      [200, '{"institutionCode":"1312345678","consentScreens":["NoSuchFlg"]}', /not reader settings/],
      [200, '[]', /not a JSON object/],
    ] as const) {
      const server = await answering(status, body);
      try {
        const channel = createReaderChannelClient({ terminalUrl: server.url, token: 't' });
        await assert.rejects(channel.settings(), (error: Error & { code?: string; status?: number }) => {
          assert.equal(error.code, 'READER_TERMINAL_ERROR');
          assert.equal(error.status, 502);
          assert.match(error.message, detail);
          assert.match(error.message, new RegExp(`HTTP ${status}`));
          return true;
        });
      } finally {
        await server.close();
      }
    }
  });

  it('a terminal that does not listen or does not answer in time: READER_TERMINAL_UNREACHABLE', async () => {
    const gone = await answering(200, '{}');
    await gone.close();
    await assert.rejects(createReaderChannelClient({ terminalUrl: gone.url, token: 't' }).challenge(), {
      code: 'READER_TERMINAL_UNREACHABLE',
      status: 504,
    });
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const channel = createReaderChannelClient({ terminalUrl: url, token: 't', timeoutMs: 200 });
      await assert.rejects(channel.settings(), { code: 'READER_TERMINAL_UNREACHABLE', message: /timed out/ });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
