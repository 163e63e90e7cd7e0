import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeCommand,
  decodeResponse,
  encodeCommand,
  encodeResponse,
  fromHex,
  SW,
  statusWordName,
  swTriesLeft,
  toHex,
  triesLeftOf,
} from './apdu.ts';

describe('APDU codec', () => {
  it('encodes the four short cases', () => {
    assert.equal(toHex(encodeCommand({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 })), '00200080');
    assert.equal(toHex(encodeCommand({ cla: 0x00, ins: 0xb0, p1: 0x01, p2: 0x04, le: 256 })), '00B0010400');
    assert.equal(toHex(encodeCommand({ cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, le: 4 })), '00B0000004');
    assert.equal(
      toHex(encodeCommand({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: fromHex('000A') })),
      '00A4020C02000A',
    );
    assert.equal(
      toHex(encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: fromHex('0102'), le: 256 })),
      '802A0080020102' + '00',
    );
  });

  it('refuses values outside the short form', () => {
    assert.throws(() => encodeCommand({ cla: 0x100, ins: 0, p1: 0, p2: 0 }), RangeError);
    assert.throws(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 257 }), RangeError);
    assert.throws(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 }), RangeError);
    assert.throws(
      () => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) }),
      RangeError,
    );
  });

  it('decodes what it encodes, Le 00 as 256', () => {
    assert.deepEqual(decodeCommand(fromHex('00B0010400')), {
      cla: 0x00,
      ins: 0xb0,
      p1: 0x01,
      p2: 0x04,
      data: new Uint8Array(0),
      le: 256,
    });
    const case4 = decodeCommand(fromHex('802A0080020102FF'));
    assert.ok(typeof case4 === 'object');
    assert.deepEqual([toHex(case4.data), case4.le], ['0102', 255]);
    const case3 = decodeCommand(fromHex('0020008004 31323334'));
    assert.ok(typeof case3 === 'object');
    assert.deepEqual([toHex(case3.data), case3.le], ['31323334', undefined]);
    assert.equal((decodeCommand(fromHex('00200080')) as { le: unknown }).le, undefined);
  });

  it('answers 6700 for malformed commands', () => {
    for (const hex of ['', '00', '00A404', '00A4040C05D392', '00A4020C02000A0000', '00B00000000100']) {
      assert.equal(decodeCommand(fromHex(hex)), SW.WRONG_LENGTH, hex);
    }
  });

  it('encodes and splits responses', () => {
    assert.equal(toHex(encodeResponse(SW.OK, fromHex('3082'))), '30829000');
    assert.equal(toHex(encodeResponse(swTriesLeft(2))), '63C2');
    assert.deepEqual(decodeResponse(fromHex('30829000')), { data: fromHex('3082'), sw: 0x9000 });
    assert.equal(decodeResponse(fromHex('90')), undefined);
  });

  it('names status words and reads tries left from 63Cx only', () => {
    assert.equal(statusWordName(0x6983), '6983 authentication method blocked');
    assert.equal(statusWordName(0x63c1), '63C1 verification failed, 1 tries left');
    assert.equal(statusWordName(0x6c00), '6C00 wrong Le, 256 bytes available');
    assert.equal(statusWordName(0x6a82), '6A82 file or application not found');
    assert.equal(statusWordName(0x6123), '6123 unknown status');
    assert.equal(triesLeftOf(0x63c2), 2);
    assert.equal(triesLeftOf(0x6983), undefined);
    assert.equal(triesLeftOf(0x9000), undefined);
  });

  it('reads hex with spaces and refuses anything else', () => {
    assert.deepEqual(fromHex('00 A4 04 0C'), Uint8Array.of(0x00, 0xa4, 0x04, 0x0c));
    assert.throws(() => fromHex('0G'), RangeError);
    assert.throws(() => fromHex('000'), RangeError);
  });
});
