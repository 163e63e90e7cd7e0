import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import {
  children,
  contents,
  DerError,
  explicit,
  explicitInner,
  generalizedTime,
  octetString,
  oid,
  readGeneralizedTime,
  readOid,
  readRoot,
  readSmallInteger,
  sequence,
  smallInteger,
  TAG,
} from './der.ts';

describe('DER reader and writer', () => {
  it('writes what asn1js reads, for long lengths, OIDs, integers and times', () => {
    const long = new Uint8Array(300).fill(7);
    const encoded = sequence(
      oid('1.3.6.1.5.5.7.48.1.2'),
      oid('2.999.3'),
      smallInteger(0),
      smallInteger(128),
      smallInteger(6, TAG.enumerated),
      octetString(long),
      explicit(0, generalizedTime(new Date('2026-12-01T09:08:07.654Z'))),
    );
    const { result, offset } = asn1js.fromBER(encoded);
    assert.ok(offset !== -1);
    const values = (result as asn1js.Sequence).valueBlock.value;
    assert.equal((values[0] as asn1js.ObjectIdentifier).valueBlock.toString(), '1.3.6.1.5.5.7.48.1.2');
    assert.equal((values[1] as asn1js.ObjectIdentifier).valueBlock.toString(), '2.999.3');
    assert.equal((values[3] as asn1js.Integer).valueBlock.valueDec, 128);
    assert.equal((values[5] as asn1js.OctetString).valueBlock.valueHexView.length, 300);
    const [o1, o2, i0, i128, e6, os, time] = children(readRoot(encoded, TAG.sequence));
    assert.equal(readOid(o1!), '1.3.6.1.5.5.7.48.1.2');
    assert.equal(readOid(o2!), '2.999.3');
    assert.equal(readSmallInteger(i0!), 0);
    assert.equal(readSmallInteger(i128!), 128);
    assert.equal(readSmallInteger(e6!, TAG.enumerated), 6);
    assert.deepEqual(Buffer.from(contents(os!)), Buffer.from(long));
    assert.deepEqual(readGeneralizedTime(explicitInner(time!)), new Date('2026-12-01T09:08:07Z'));
  });

  it('refuses truncated input, indefinite lengths, trailing bytes and wrong tags', () => {
    const good = sequence(smallInteger(5));
    assert.throws(() => readRoot(good.subarray(0, good.length - 1), TAG.sequence), DerError);
    assert.throws(() => readRoot(Uint8Array.of(0x30, 0x80, 0x00, 0x00), TAG.sequence), DerError);
    assert.throws(() => readRoot(Uint8Array.of(...good, 0x00), TAG.sequence), DerError);
    assert.throws(() => readRoot(good, TAG.octetString), DerError);
    assert.throws(() => readRoot(Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff), TAG.sequence), DerError);
    assert.throws(() => children(readRoot(Uint8Array.of(0x30, 0x02, 0x02, 0x05), TAG.sequence)), DerError);
    assert.throws(() => readSmallInteger(readRoot(Uint8Array.of(0x02, 0x01, 0xff), TAG.integer)), DerError);
  });
});
