/**
 * For tests: reads a PDF written by `writePdf` back, checking its structure on the way — header,
 * `startxref` → the xref table, every in-use entry's offset at `n 0 obj`, the trailer's /Size and
 * /Root, catalog → pages → each page's content stream with a true /Length — and decodes the
 * UTF-16BE hex strings shown with `Tj`. Throws an Error naming the first inconsistency.
 */

export interface InspectedPdf {
  readonly version: string;
  readonly objects: ReadonlyMap<number, string>;
  /** /Count of the page tree (checked against /Kids). */
  readonly pageCount: number;
  /** The text shown on each page, in drawing order. */
  readonly pageTexts: readonly (readonly string[])[];
  readonly trailer: string;
}

function fail(detail: string): never {
  throw new Error(`PDF structure: ${detail}`);
}

function ref(dict: string, key: string): number {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  if (m === null) fail(`no /${key} reference in ${dict.slice(0, 80)}`);
  return Number(m[1]);
}

function decodeUtf16Hex(hex: string): string {
  if (hex.length % 4 !== 0) fail(`odd UTF-16 hex string <${hex}>`);
  let out = '';
  for (let i = 0; i < hex.length; i += 4)
    out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return out;
}

function streamData(object: string): string {
  const m = /^<<(.*?)\/Length (\d+) >>\nstream\n/s.exec(object);
  if (m === null) fail('a content object is not a stream');
  const start = m[0].length;
  const end = object.lastIndexOf('endstream');
  const data = object.slice(start, end);
  if (data.length !== Number(m[2])) fail(`stream /Length ${m[2]} but ${data.length} bytes`);
  return data;
}

export function inspectPdf(bytes: Uint8Array): InspectedPdf {
  const text = Buffer.from(bytes).toString('latin1');
  const version = /^%PDF-(\d\.\d)\n/.exec(text)?.[1] ?? fail('no %PDF header');
  const tail = /startxref\n(\d+)\n%%EOF\n?$/.exec(text) ?? fail('no startxref at the end');
  const xrefAt = Number(tail[1]);
  const xref = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt)) ?? fail(`startxref ${xrefAt} is not at xref`);
  const size = Number(xref[1]);
  const entriesAt = xrefAt + xref[0].length;
  const objects = new Map<number, string>();
  for (let i = 0; i < size; i++) {
    const entry = text.slice(entriesAt + i * 20, entriesAt + (i + 1) * 20);
    const m = /^(\d{10}) (\d{5}) ([nf]) \n$/.exec(entry) ?? fail(`xref entry ${i} malformed: ${entry}`);
    if (i === 0) {
      if (m[3] !== 'f' || m[2] !== '65535') fail('xref entry 0 must be free, generation 65535');
      continue;
    }
    if (m[3] !== 'n') fail(`xref entry ${i} not in use`);
    const offset = Number(m[1]);
    if (!text.startsWith(`${i} 0 obj\n`, offset)) fail(`xref entry ${i} → ${offset} is not "${i} 0 obj"`);
    const end = text.indexOf('\nendobj\n', offset);
    if (end < 0) fail(`object ${i} has no endobj`);
    objects.set(i, text.slice(offset + `${i} 0 obj\n`.length, end));
  }
  const trailer = /trailer\n(<<.*?>>)\nstartxref/s.exec(text.slice(entriesAt))?.[1] ?? fail('no trailer');
  if (!trailer.includes(`/Size ${size} `)) fail(`trailer /Size is not ${size}`);
  const catalog = objects.get(ref(trailer, 'Root')) ?? fail('no root object');
  if (!catalog.includes('/Type /Catalog')) fail('root is not a catalog');
  const tree = objects.get(ref(catalog, 'Pages')) ?? fail('no page tree');
  const pageCount = Number(/\/Count (\d+)/.exec(tree)?.[1] ?? fail('page tree without /Count'));
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(tree)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((k) =>
    Number(k[1]),
  );
  if (kids.length !== pageCount) fail(`/Count ${pageCount} but ${kids.length} kids`);
  const pageTexts = kids.map((kid) => {
    const page = objects.get(kid) ?? fail(`page ${kid} missing`);
    if (!page.includes('/Type /Page ')) fail(`object ${kid} is not a page`);
    const content = streamData(objects.get(ref(page, 'Contents')) ?? fail(`contents of ${kid} missing`));
    return [...content.matchAll(/<([0-9A-F]*)> Tj/g)].map((m) => decodeUtf16Hex(m[1]!));
  });
  return { version, objects, pageCount, pageTexts, trailer };
}
