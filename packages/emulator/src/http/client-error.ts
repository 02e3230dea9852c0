import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { errorBody, errors, type ErrorAnswer } from './error-catalog.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Answers requests Node could not parse or that arrived too slowly, in the
 * same ModelArts error format as everything else, then closes the connection.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A client that hung up cannot be answered, and a response already under
  // way must not be corrupted by a second one (Node's own default is the same).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const answer = answerFor(error.code);
  const body = errorBody(answer);
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_TEXT[answer.status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/json;charset=UTF-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${randomUUID().replaceAll('-', '')}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  // A slow-loris client may never close its side; once the answer is
  // flushed the connection goes, so it cannot be held open for nothing.
  socket.destroySoon();
}

function answerFor(code: string | undefined): ErrorAnswer {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return errors.requestTimeout();
    case 'HPE_HEADER_OVERFLOW':
      return errors.headersTooLarge();
    default:
      return errors.badRequest('the request is not valid HTTP');
  }
}
