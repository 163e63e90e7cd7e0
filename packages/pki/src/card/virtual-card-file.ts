/**
 * A virtual My Number card backed by its card file (../card-file.ts): the card answers APDUs from
 * the file's certificate, key and PIN, and writes the file back atomically (temp + rename) after
 * every change of the PIN counter, so a blocked card is still blocked after a restart.
 *
 * One process should hold a card file open at a time, as one card sits on one reader; a second
 * opener's counter changes would overwrite the first's.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { OnshiError } from '@onshi/core';
import { readVirtualCardFile, type VirtualCardFile, writeVirtualCardFile } from '../card-file.ts';
import { type PinCounter, VirtualMyNumberCard } from './virtual-card.ts';

/** Opens the card in `path`. Throws CONFIG_INVALID naming the path for a missing or damaged file. */
export async function openVirtualMyNumberCard(path: string): Promise<VirtualMyNumberCard> {
  let file = await readVirtualCardFile(path);
  return new VirtualMyNumberCard({
    certificate: Buffer.from(file.userCertificate, 'base64'),
    caCertificate:
      file.issuerCertificate === undefined ? undefined : Buffer.from(file.issuerCertificate, 'base64'),
    privateKey: privateKeyOf(path, file),
    pin: file.pin,
    counter: { triesLeft: file.blocked ? 0 : file.triesLeft, blocked: file.blocked || file.triesLeft === 0 },
    persist: async (counter: PinCounter) => {
      file = { ...file, triesLeft: counter.triesLeft, blocked: counter.blocked };
      await writeVirtualCardFile(path, file);
    },
  });
}

function privateKeyOf(path: string, file: VirtualCardFile): KeyObject {
  try {
    return createPrivateKey(file.privateKey);
  } catch (error) {
    throw new OnshiError(
      'CONFIG_INVALID',
      { name: path, detail: 'privateKey is not a readable PEM' },
      { cause: error },
    );
  }
}
