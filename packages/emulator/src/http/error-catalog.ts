// The error codes the emulator answers with, taken from Huawei's published
// examples: `ModelArts.xxxx` from the service, `APIG.xxxx` from its gateway.

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
}

export const errors = {
  badRequest: (detail: string): ErrorAnswer => ({
    status: 400,
    code: 'ModelArts.0104',
    message: `Parameter error: ${detail}.`,
  }),
  unauthenticated: (detail: string): ErrorAnswer => ({
    status: 401,
    code: 'APIG.0301',
    message: `Incorrect IAM authentication information: ${detail}.`,
  }),
  projectNotFound: (projectId: string): ErrorAnswer => ({
    status: 404,
    code: 'ModelArts.4104',
    message: `The project ${projectId} does not exist.`,
  }),
  jobNotFound: (jobId: string): ErrorAnswer => ({
    status: 404,
    code: 'ModelArts.4104',
    message: `The annotation job ${jobId} does not exist.`,
  }),
  imageNotFound: (imageId: string, jobId: string): ErrorAnswer => ({
    status: 404,
    code: 'ModelArts.4104',
    message: `The image ${imageId} does not exist in the annotation job ${jobId}.`,
  }),
  noSuchApi: (): ErrorAnswer => ({
    status: 404,
    code: 'APIG.0101',
    message: 'The API does not exist or has not been published in the environment.',
  }),
  methodNotAllowed: (method: string): ErrorAnswer => ({
    status: 405,
    code: 'APIG.0101',
    message: `The API does not accept the method ${method}.`,
  }),
  requestTimeout: (): ErrorAnswer => ({
    status: 408,
    code: 'ModelArts.6100',
    message: 'The request timed out before its body arrived.',
  }),
  bodyTooLarge: (limitBytes: number): ErrorAnswer => ({
    status: 413,
    code: 'APIG.0201',
    message: `The request body is larger than ${limitBytes} bytes.`,
  }),
  // The gateway takes request bodies as they are; a compressed body would be
  // read as garbage, so it is refused by name instead.
  unsupportedEncoding: (encoding: string): ErrorAnswer => ({
    status: 415,
    code: 'APIG.0201',
    message: `The request body must not be encoded: Content-Encoding ${encoding} is not accepted.`,
  }),
  headersTooLarge: (): ErrorAnswer => ({
    status: 431,
    code: 'APIG.0201',
    message: 'The request headers are too large.',
  }),
  throttled: (): ErrorAnswer => ({ status: 429, code: 'ModelArts.6101', message: 'System busy.' }),
  internal: (): ErrorAnswer => ({ status: 500, code: 'ModelArts.6102', message: 'Internal error.' }),
  unavailable: (): ErrorAnswer => ({ status: 503, code: 'ModelArts.6103', message: 'Service unavailable.' }),
};

export function errorBody(answer: ErrorAnswer): string {
  return JSON.stringify({ error_code: answer.code, error_msg: answer.message });
}
