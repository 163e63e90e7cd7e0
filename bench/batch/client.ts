/**
 * The batch side of the batch benchmark, in a worker thread of the benchmark's process: uploads the
 * OQSmuquc01req, polls OQSmuquc02req every 100 ms until SegmentOfResult is 1, and reads the final
 * 02res as a stream (counting units without holding 200 MB as one string). It runs on its own
 * thread so that sending a 40 MB upload and receiving a 200 MB result do not stall the event loop
 * of the load generator that times the single checks. It says 'ready' once loaded and starts at
 * 'go'. Times are absolute (timeOrigin + now, ms).
 */
import { request as httpsRequest } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientData {
  readonly url: string;
  readonly cert: string;
  readonly key: string;
  readonly uploadPath: string;
  readonly resultsPath: string;
  readonly institutionCode: string;
  /** The OQSmuquc01req, UTF-8. */
  readonly upload: Uint8Array;
}

export interface ClientResult {
  readonly t0: number;
  readonly tAccepted: number;
  readonly tDone: number;
  readonly tDownloaded: number;
  readonly units: number;
  readonly valid: number;
  readonly counts: readonly (string | undefined)[];
  readonly error?: string | undefined;
}

const now = () => performance.timeOrigin + performance.now();
const element = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/** POSTs and hands every chunk of the answer to `onChunk`; resolves to the status and the first 64 KiB. */
function post(
  data: ClientData,
  path: string,
  body: string | Uint8Array,
  onChunk?: (chunk: string) => void,
): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${data.url}${path}`,
      {
        method: 'POST',
        rejectUnauthorized: false,
        cert: data.cert,
        key: data.key,
        headers: { 'content-type': 'application/xml' },
      },
      (res) => {
        let head = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (head.length < 65536) head += chunk;
          onChunk?.(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, head }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Counts occurrences of `needle` across chunks (a match may straddle two). */
function counter(needle: string) {
  let tail = '';
  let n = 0;
  return {
    feed(chunk: string) {
      const text = tail + chunk;
      for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
      tail = text.slice(Math.max(0, text.length - needle.length + 1));
    },
    get count() {
      return n;
    },
  };
}

async function run(data: ClientData): Promise<ClientResult> {
  const t0 = now();
  const accepted = await post(data, data.uploadPath, data.upload);
  const tAccepted = now();
  const reception = element(accepted.head, 'ReceptionNumber');
  if (accepted.status !== 200 || reception === undefined)
    throw new Error(`upload refused: ${accepted.head.slice(0, 400)}`);
  const probe = `<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader><MedicalInstitutionCode>${data.institutionCode}</MedicalInstitutionCode></MessageHeader><MessageBody><ReceptionNumber>${reception}</ReceptionNumber></MessageBody></XmlMsg>`;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = now();
    const units = counter('<BulkConfirmUnit>');
    const valid = counter('<QualificationValidity>1</QualificationValidity>');
    const polled = await post(data, data.resultsPath, probe, (chunk) => {
      units.feed(chunk);
      valid.feed(chunk);
    });
    if (element(polled.head, 'SegmentOfResult') === '1') {
      return {
        t0,
        tAccepted,
        tDone: before,
        tDownloaded: now(),
        units: units.count,
        valid: valid.count,
        counts: [
          element(polled.head, 'NumberOfProcessingResult'),
          element(polled.head, 'NumberOfNormalProcessing'),
          element(polled.head, 'NumberOfError'),
        ],
      };
    }
  }
}

// 'ready' once loaded; the run starts at 'go' (after the load generator has started).
if (parentPort !== null) {
  const port = parentPort;
  port.once('message', () => {
    run(workerData as ClientData).then(
      (result) => port.postMessage(result),
      (error: unknown) => port.postMessage({ error: String(error) }),
    );
  });
  port.postMessage('ready');
}
