/**
 * Test support (imported by *.test.ts only): virtual card files issued by a throw-away card PKI,
 * and a stand-in for the terminal's reader channel that checks what it receives — the bearer
 * token, that each challenge was issued by it and is used once, the card's signature over it
 * with the certificate's key, and that 初回登録 is by PIN — and records every request.
 */
import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJpkiDirectory, PIN_TRIES, VIRTUAL_CARD_FORMAT, writeVirtualCardFile } from '@onshi/pki';
import type { ReaderSettings } from './channel.ts';

export const TEST_PIN = '1234';

export interface TestCards {
  readonly dir: string;
  /** The cards directory: person-1.card.json … */
  readonly cardsDir: string;
  /** Card file paths, in label order (カード 1, 2 …). */
  readonly files: readonly string[];
  /** Certificates (base64 DER), in the same order. */
  readonly certificates: readonly string[];
  remove(): Promise<void>;
}

/** `count` virtual cards with the PIN 1234, issued by a fresh card PKI in a temporary directory. */
export async function createTestCards(count: number): Promise<TestCards> {
  const dir = await mkdtemp(join(tmpdir(), 'onshi-reader-'));
  const passphraseFile = join(dir, 'pass.txt');
  await writeFile(passphraseFile, 'reader test passphrase\n', { mode: 0o600 });
  const jpki = await createJpkiDirectory(join(dir, 'jpki'), passphraseFile);
  const cardsDir = join(dir, 'cards');
  await mkdir(cardsDir);
  const files: string[] = [];
  const certificates: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const issued = await jpki.issueUserCertificate();
    const path = join(cardsDir, `person-${i}.card.json`);
    const certificate = Buffer.from(issued.certificateDer).toString('base64');
    await writeVirtualCardFile(path, {
      format: VIRTUAL_CARD_FORMAT,
      userCertificate: certificate,
      privateKey: issued.privateKeyPem,
      pin: TEST_PIN,
      triesLeft: PIN_TRIES,
      blocked: false,
      issuerCertificate: jpki.cardCa.raw.toString('base64'),
    });
    files.push(path);
    certificates.push(certificate);
  }
  return { dir, cardsDir, files, certificates, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface TerminalDouble {
  readonly url: string;
  readonly token: string;
  /** Every request, in order (also refused ones). */
  readonly received: ReceivedRequest[];
  /** Certificates (base64) registered for insurance use; others are CARD_NOT_REGISTERED. */
  readonly registered: Set<string>;
  settings: ReaderSettings;
  /** Bodies of the confirmations it accepted. */
  readonly confirmations: Record<string, unknown>[];
  readonly events: Record<string, unknown>[];
  /** When set, confirmations are refused with this (as central's refusals pass through). */
  refuseConfirmations: { status: number; code: string; message: string } | undefined;
  close(): Promise<void>;
}

const defaultSettings: ReaderSettings = {
  institutionCode: '1312345678',
  consentScreens: ['PharmacistsInfoConsFlg', 'SpecificHealthCheckupsInfoConsFlg'],
  limitConsentScreen: false,
  prescriptionChoice: false,
};

export async function startTerminalDouble(
  options: { token?: string; settings?: ReaderSettings; registered?: Iterable<string> } = {},
): Promise<TerminalDouble> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const challenges = new Map<string, boolean>(); // base64 → used
  const double = {
    url: '',
    token,
    received: [] as ReceivedRequest[],
    registered: new Set(options.registered ?? []),
    settings: options.settings ?? defaultSettings,
    confirmations: [] as Record<string, unknown>[],
    events: [] as Record<string, unknown>[],
    refuseConfirmations: undefined as { status: number; code: string; message: string } | undefined,
    close: async () => {},
  };

  const refuse = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message }));
  };
  const answer = (res: ServerResponse, value: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  /** The proof's problem, or undefined: an issued, unused challenge signed by the certificate's key. */
  const proofProblem = (body: Record<string, unknown>): string | undefined => {
    const { challenge, certificate, signature } = body;
    if (typeof challenge !== 'string' || typeof certificate !== 'string' || typeof signature !== 'string')
      return 'challenge, certificate and signature are required';
    if (challenges.get(challenge) !== false) return 'challenge not issued or already used';
    challenges.set(challenge, true);
    const key = new X509Certificate(Buffer.from(certificate, 'base64')).publicKey;
    const signed = verify('sha256', Buffer.from(challenge, 'base64'), key, Buffer.from(signature, 'base64'));
    return signed ? undefined : 'signature does not verify';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, text: string) => {
    const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
    double.received.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    if (req.headers.authorization !== `Bearer ${token}`)
      return refuse(res, 401, 'READER_TOKEN_INVALID', 'カードリーダーの認証トークンが正しくありません。');
    const route = `${req.method} ${req.url}`;
    if (route === 'GET /reader/v1/settings') return answer(res, double.settings);
    if (route === 'POST /reader/v1/challenges') {
      const challenge = randomBytes(32).toString('base64');
      challenges.set(challenge, false);
      return answer(res, { challenge, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    }
    if (route === 'POST /reader/v1/events') {
      double.events.push(body ?? {});
      res.writeHead(204);
      return res.end();
    }
    if (route === 'POST /reader/v1/registrations' || route === 'POST /reader/v1/confirmations') {
      const proof = body ?? {};
      const problem = proofProblem(proof);
      if (problem !== undefined) return refuse(res, 401, 'PKI_CARD_SIGNATURE_INVALID', problem);
      const certificate = proof.certificate as string;
      if (route === 'POST /reader/v1/registrations') {
        if (proof.authMethod !== 'pin')
          return refuse(res, 400, 'CARD_REGISTRATION_PIN_REQUIRED', 'PIN required');
        const newlyRegistered = !double.registered.has(certificate);
        double.registered.add(certificate);
        return answer(res, { registered: true, registeredAt: '2026-11-26T10:00:00+09:00', newlyRegistered });
      }
      const refusal = double.refuseConfirmations;
      if (refusal !== undefined) return refuse(res, refusal.status, refusal.code, refusal.message);
      if (!double.registered.has(certificate))
        return refuse(
          res,
          403,
          'CARD_NOT_REGISTERED',
          'このマイナンバーカードは健康保険証として利用登録されていません。',
        );
      double.confirmations.push(proof);
      return answer(res, {
        sessionId: randomBytes(10).toString('hex'),
        faceFile: 'OQSsiquc01res_face_test.xml',
        result: { MessageHeader: { ReferenceClassification: '1' } },
      });
    }
    return refuse(res, 404, 'HTTP_NOT_FOUND', `${req.url} は存在しません。`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) =>
        refuse(res, 500, 'SERVICE_INTERNAL', String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  double.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return double;
}
