/**
 * Certificates through the portal on SQLite and PostgreSQL: delivery by CSR (the terminal makes its
 * key with @onshi/pki / node:crypto, uploads a PKCS#10 request, downloads the certificate and the
 * CA chain as PEM; the key never reaches the portal), a CSR for another institution or a broken one
 * refused at submission, renewal approved by the operator (ca.renew: same subject, new key, the old
 * one still valid), renewal refused once expired; and the CRL re-issued by the portal's schedule
 * before central would find it stale (PKI_CRL_STALE), at start and while running, with a moved clock.
 */
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createCrlWatcher,
  createInstitutionCsr,
  generateRsaKeyPair,
  openCa,
  parsePemBundle,
  type RsaKeyPair,
} from '@onshi/pki';
import { testClock } from '@onshi/pki/test-support';
import { institutionCode } from '../../central/src/test/fixtures.ts';
import { forEachStore } from '../../central/src/test/stores.ts';
import {
  approveSubmitted,
  type Client,
  operatorClient,
  type PortalFixture,
  registeredInstitution,
  startTestPortal,
} from './test/portal-fixture.ts';

const code = '1310123458';
const DAY = 86_400_000;
const form = {
  department: '医事課',
  phone: '03-1234-5678',
  terminalName: '受付端末（CSR）',
  environment: 'production',
  delivery: 'csr',
};

const spki = (key: X509Certificate['publicKey']) =>
  key.export({ type: 'spki', format: 'der' }).toString('hex');

async function until(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

forEachStore('portal certificates: CSR delivery and renewal', (store) => {
  const clock = testClock('2026-04-01T00:00:00Z');
  let f: PortalFixture;
  let inst: Client;
  let op: Client;
  let keys: RsaKeyPair;
  let serial = '';
  before(async () => {
    f = await startTestPortal(store(), clock);
    inst = await registeredInstitution(f.portal.url, { email: 'csr@example.jp' });
    op = await operatorClient(f.portal.operatorUrl!);
    await inst.call('POST', '/api/applications/usage', {
      plannedTest: '2026-05-01',
      plannedStart: '2026-06-01',
      lineType: 'ipsec-ike',
    });
    await approveSubmitted(op, 'usage');
    keys = await generateRsaKeyPair();
  });
  after(async () => {
    await f?.dispose();
  });

  const applications = async () =>
    Number((await store().get<{ n: number }>('select count(*) as n from portal_applications'))!.n);

  it('refuses a CSR for another institution or one that is not a signed PKCS#10, nothing saved', async () => {
    const before = await applications();
    const other = await createInstitutionCsr(institutionCode('13', '1', '099999'), keys);
    const res = await inst.call('POST', '/api/applications/certificate', { ...form, csr: other });
    assert.equal(res.json.code, 'PKI_CSR_INVALID');
    assert.match(res.json.message, /1310123458/);
    const broken = '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----';
    assert.equal(
      (await inst.call('POST', '/api/applications/certificate', { ...form, csr: broken })).json.code,
      'PKI_CSR_INVALID',
    );
    assert.equal(await applications(), before);
  });

  it('issues for the uploaded CSR: PEM certificate + chain for the terminal’s own key, no PKCS#12, no password', async () => {
    const csr = await createInstitutionCsr(code, keys);
    assert.equal((await inst.call('POST', '/api/applications/certificate', { ...form, csr })).status, 201);
    await approveSubmitted(op, 'certificate');
    const [cert] = (await inst.call('GET', '/api/certificates')).json.certificates;
    serial = cert.serial;
    assert.equal(cert.keyDelivery, 'csr');
    assert.equal(cert.passwordPending, false);
    assert.equal(cert.environment, 'production');

    const pem = await inst.call('GET', `/api/certificates/${serial}/pem`);
    assert.equal(pem.status, 200);
    const chain = parsePemBundle(String(pem.json));
    assert.equal(chain.length, 3); // the certificate, the issuing CA, the root
    const issued = chain[0]!;
    assert.equal(spki(issued.publicKey), spki(keys.publicKey));
    assert.ok(issued.checkPrivateKey(keys.privateKey));
    assert.ok(issued.verify(chain[1]!.publicKey));
    assert.match(issued.subject, /CN=1310123458/);

    // The key stayed with the terminal: no PKCS#12, no one-time password, nothing on disk or in the store.
    assert.equal(
      (await inst.call('GET', `/api/certificates/${serial}/pkcs12`)).json.code,
      'PORTAL_CERTIFICATE_NOT_FOUND',
    );
    assert.equal(
      (await inst.call('POST', `/api/certificates/${serial}/password`, {})).json.code,
      'PORTAL_PASSWORD_ALREADY_SHOWN',
    );
    const p12Dir = join(f.dir, 'data', 'certificates');
    assert.deepEqual(existsSync(p12Dir) ? readdirSync(p12Dir) : [], []);
    for (const table of ['portal_applications', 'portal_certificates', 'portal_documents', 'portal_mails']) {
      const rows = await store().all<Record<string, unknown>>(`select * from ${table}`);
      assert.ok(!JSON.stringify(rows).includes('PRIVATE KEY'), table);
    }
    const ca = await openCa(f.caDir, f.passphraseFile);
    const entry = ca.entries().find((e) => e.serial === serial)!;
    assert.equal(entry.keyDelivery, 'csr');
  });

  let renewed = '';
  it('renewal approved by the operator: ca.renew, same subject, the new CSR’s key, the old one still valid', async () => {
    const newKeys = await generateRsaKeyPair();
    clock.advance(30 * DAY);
    await inst.call('POST', '/api/login', { email: 'csr@example.jp', password: 'institution-pass-42' });
    await op.call('POST', '/api/login', { login: 'operator', password: 'operator-pass-123' });
    const csr = await createInstitutionCsr(code, newKeys);
    const applied = await inst.call('POST', '/api/applications/certificate', {
      ...form,
      environment: 'connection-test', // a renewal keeps the old certificate's environment
      csr,
      renewalOf: serial,
    });
    assert.equal(applied.status, 201, JSON.stringify(applied.json));
    assert.equal(applied.json.payload.renewalOf, serial);
    await approveSubmitted(op, 'certificate');
    const certs = (await inst.call('GET', '/api/certificates')).json.certificates;
    assert.equal(certs.length, 2);
    const next = certs.find((c: { serial: string }) => c.serial !== serial);
    renewed = next.serial;
    assert.equal(next.renewalOf, serial);
    assert.equal(next.environment, 'production');
    assert.equal(next.keyDelivery, 'csr');
    assert.equal(
      next.notBefore,
      clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, '.000Z'),
    );
    const old = certs.find((c: { serial: string }) => c.serial === serial);
    assert.equal(old.revokedAt, null);
    const newCert = parsePemBundle(
      String((await inst.call('GET', `/api/certificates/${renewed}/pem`)).json),
    )[0]!;
    const oldCert = parsePemBundle(
      String((await inst.call('GET', `/api/certificates/${serial}/pem`)).json),
    )[0]!;
    assert.equal(newCert.subject, oldCert.subject);
    assert.equal(spki(newCert.publicKey), spki(newKeys.publicKey));
    assert.notEqual(spki(newCert.publicKey), spki(oldCert.publicKey));
    const ca = await openCa(f.caDir, f.passphraseFile);
    const entry = ca.entries().find((e) => e.serial === renewed)!;
    assert.equal(entry.renewalOf, serial);
    assert.equal(ca.entries().find((e) => e.serial === serial)!.revoked, undefined);
  });

  it('a PKCS#12 renewal: a new key made by the CA and a new one-time password', async () => {
    const applied = await inst.call('POST', '/api/applications/certificate', {
      ...form,
      delivery: 'pkcs12',
      renewalOf: renewed,
    });
    assert.equal(applied.status, 201);
    await approveSubmitted(op, 'certificate');
    const p12 = (await inst.call('GET', '/api/certificates')).json.certificates.find(
      (c: { renewalOf: string | null }) => c.renewalOf === renewed,
    );
    assert.equal(p12.keyDelivery, 'pkcs12');
    assert.equal(p12.passwordPending, true);
    const download = await inst.call('GET', `/api/certificates/${p12.serial}/pkcs12`);
    assert.equal(download.status, 200);
  });

  it('an expired certificate is not renewed: PORTAL_CERTIFICATE_NOT_RENEWABLE', async () => {
    const old = (await inst.call('GET', '/api/certificates')).json.certificates.find(
      (c: { serial: string }) => c.serial === serial,
    );
    clock.set(new Date(new Date(old.notAfter).getTime() + 1000));
    await inst.call('POST', '/api/login', { email: 'csr@example.jp', password: 'institution-pass-42' });
    const res = await inst.call('POST', '/api/applications/certificate', {
      ...form,
      csr: await createInstitutionCsr(code, keys),
      renewalOf: serial,
    });
    assert.equal(res.json.code, 'PORTAL_CERTIFICATE_NOT_RENEWABLE');
    assert.match(res.json.message, /有効期限切れ/);
  });
});

forEachStore('portal: the CRL re-issued before it goes stale', (store) => {
  describe('while running (moved clock)', () => {
    const clock = testClock('2026-04-01T00:00:00Z');
    let f: PortalFixture;
    before(async () => {
      f = await startTestPortal(store(), clock, { crlSchedule: { checkEveryMs: 20 } });
    });
    after(async () => {
      await f?.dispose();
    });

    it('a day after the last CRL, a new one; central’s watcher then accepts checks past the old nextUpdate', async () => {
      const ca = await openCa(f.caDir, f.passphraseFile);
      const central = await createCrlWatcher(join(f.caDir, 'crl.pem'), {
        issuer: ca.issuing,
        intervalMs: 60_000,
      });
      try {
        const first = central.info();
        assert.equal(first.thisUpdate.toISOString(), '2026-04-01T00:00:00.000Z');
        assert.equal(first.nextUpdate?.toISOString(), '2026-04-08T00:00:00.000Z');
        // Without a new CRL, central would refuse every certificate a week on.
        assert.throws(() => central.assertCurrent(new Date('2026-04-08T00:00:01Z')), {
          code: 'PKI_CRL_STALE',
        });

        clock.advance(23 * 3600_000); // not due yet
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(await central.reload(), false);

        clock.advance(3600_000); // a day old → re-issued at the next check
        await until(() => central.reload());
        assert.equal(central.info().thisUpdate.toISOString(), '2026-04-02T00:00:00.000Z');
        assert.equal(central.info().nextUpdate?.toISOString(), '2026-04-09T00:00:00.000Z');
        central.assertCurrent(new Date('2026-04-08T00:00:01Z'));

        // A portal clock eight days on (the timer kept running): central is never left stale.
        clock.advance(8 * 86_400_000);
        await until(() => central.reload());
        central.assertCurrent(clock.now());
      } finally {
        central.close();
      }
    });
  });

  describe('at start', () => {
    it('re-issues at start a CRL past half its life (4 of 7 days)', async () => {
      const clock = testClock('2026-04-05T00:00:00Z');
      const f = await startTestPortal(store(), clock, { caCreatedAt: new Date('2026-04-01T00:00:00Z') });
      try {
        const ca = await openCa(f.caDir, f.passphraseFile);
        const watcher = await createCrlWatcher(ca.crlPath, { issuer: ca.issuing });
        assert.equal(watcher.info().thisUpdate.toISOString(), '2026-04-05T00:00:00.000Z');
        watcher.close();
      } finally {
        await f.dispose();
      }
    });

    it('leaves a CRL written twelve hours ago alone', async () => {
      const clock = testClock('2026-04-01T12:00:00Z');
      const f = await startTestPortal(store(), clock, { caCreatedAt: new Date('2026-04-01T00:00:00Z') });
      try {
        const ca = await openCa(f.caDir, f.passphraseFile);
        const watcher = await createCrlWatcher(ca.crlPath, { issuer: ca.issuing });
        assert.equal(watcher.info().thisUpdate.toISOString(), '2026-04-01T00:00:00.000Z');
        watcher.close();
      } finally {
        await f.dispose();
      }
    });
  });
});
