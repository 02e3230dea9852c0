/** The parts of an AK/SK `Authorization` header. */
export type SignatureClaim =
  | { algorithm: 'SDK-HMAC-SHA256'; accessKey: string; signedHeaders: string[]; signature: string }
  | {
      algorithm: 'V11-HMAC-SHA256';
      accessKey: string;
      scope: { date: string; region: string; service: string };
      signedHeaders: string[];
      signature: string;
    };

export const SIGNATURE_ALGORITHMS = ['SDK-HMAC-SHA256', 'V11-HMAC-SHA256'] as const;

/**
 * Parses `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b>, Signature=<hex>`
 * or `V11-HMAC-SHA256 Credential=<AK>/<date>/<region>/<service>, ...`.
 * Returns a reason instead when the header is not in either form.
 */
export function parseAuthorizationHeader(header: string): SignatureClaim | { invalid: string } {
  const space = header.indexOf(' ');
  const algorithm = space === -1 ? header : header.slice(0, space);
  if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(algorithm)) {
    return { invalid: `unsupported signature algorithm; expected one of ${SIGNATURE_ALGORITHMS.join(', ')}` };
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!signedHeaders || !signature) return { invalid: 'the Authorization header lacks SignedHeaders or Signature' };
  const headerNames = signedHeaders.split(';');

  if (algorithm === 'SDK-HMAC-SHA256') {
    const accessKey = fields.get('Access');
    if (!accessKey) return { invalid: 'the Authorization header lacks Access' };
    return { algorithm, accessKey, signedHeaders: headerNames, signature };
  }
  const [accessKey, date, region, service, ...extra] = (fields.get('Credential') ?? '').split('/');
  if (!accessKey || !date || !region || !service || extra.length > 0) {
    return { invalid: 'the Authorization header lacks a Credential of the form AK/date/region/service' };
  }
  return { algorithm: 'V11-HMAC-SHA256', accessKey, scope: { date, region, service }, signedHeaders: headerNames, signature };
}
