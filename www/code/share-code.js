// A program in a share link: its text compressed with the browser's CompressionStream
// ('deflate-raw') and written as base64url, for the fragment's `code=` parameter. Decoding
// gives text or an error message, never anything else: the text is only ever shown in the
// editor and handed to the engine when the learner presses Run.
export const MAX_CODE_CHARS = 64 * 1024; // of base64url in a link
export const MAX_CODE_BYTES = 256 * 1024; // of program text once inflated

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

// Reads a stream into one array, refusing more than `max` bytes.
async function readAll(stream, max) {
  const reader = stream.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      throw new Error(`the code is longer than ${max / 1024} KiB`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function encodeCode(text) {
  const bytes = new TextEncoder().encode(String(text));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(await readAll(stream, Number.POSITIVE_INFINITY));
}

// { text } or { error } (a sentence saying what is wrong with the link's code).
export async function decodeCode(param) {
  const s = String(param ?? '');
  if (s.length > MAX_CODE_CHARS) return { error: `the code is longer than ${MAX_CODE_CHARS / 1024} KiB of link` };
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return { error: 'the code is not base64url' };
  try {
    const packed = fromBase64Url(s);
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const bytes = await readAll(stream, MAX_CODE_BYTES);
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (err) {
    return { error: `the code could not be read (${String(err?.message ?? err).slice(0, 80)})` };
  }
}
