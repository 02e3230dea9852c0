import { InvalidResponseError, ResponseTooLargeError } from '../../core/errors.js';
import { BodyDecodingError, BodyLimitExceededError, type TransportResponse } from '../../core/transport.js';

/** Reads the body, refusing to buffer more than `limit` bytes; a body that cannot be decoded is an InvalidResponseError. */
export async function readBody(response: TransportResponse, limit: number, requestId: string | undefined): Promise<string> {
  try {
    return await readLimited(response, limit, requestId);
  } catch (error) {
    const encoding = decodingFailure(error, response);
    if (encoding === undefined) throw error;
    throw new InvalidResponseError(`the body cannot be decoded as its Content-Encoding (${encoding}) says`, {
      status: response.status,
      requestId,
    });
  }
}

/**
 * The Content-Encoding a body failed to decode from: said so by the
 * transport (BodyDecodingError), or a zlib error on the way (what `fetch`
 * reports, as the cause of its own error).
 */
function decodingFailure(error: unknown, response: TransportResponse): string | undefined {
  if (error instanceof BodyDecodingError) return error.encoding;
  for (let link = error, depth = 0; link && typeof link === 'object' && depth < 4; link = (link as Error).cause, depth++) {
    const { code } = link as { code?: unknown };
    if (typeof code === 'string' && /^(Z_|ERR__?ERROR_FORMAT|ERR_BROTLI)/.test(code)) {
      return (response.headers.get('content-encoding') ?? 'compressed').slice(0, 40);
    }
  }
  return undefined;
}

async function readLimited(response: TransportResponse, limit: number, requestId: string | undefined): Promise<string> {
  const tooLarge = (): ResponseTooLargeError =>
    new ResponseTooLargeError(
      `The response body is larger than maxResponseBytes (${limit} bytes); lower the batch size or raise maxResponseBytes`,
      { status: response.status, requestId },
    );
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (error instanceof BodyLimitExceededError) throw tooLarge();
      throw error;
    }
    // The limit is in bytes, as on the wire: a character can take up to 4.
    if (text.length > limit || (text.length * 3 > limit && utf8Length(text) > limit)) throw tooLarge();
    return text;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** UTF-8 byte count without encoding a copy; a lone surrogate counts as its 3-byte replacement. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
