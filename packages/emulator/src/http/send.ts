import type { ServerResponse } from 'node:http';
import { errorBody, type ErrorAnswer } from './error-catalog.js';

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export function sendBody(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
  sendBody(res, status, body, JSON_CONTENT_TYPE, headers);
}

export function sendError(res: ServerResponse, answer: ErrorAnswer, headers?: Record<string, string>): void {
  sendJson(res, answer.status, errorBody(answer), headers);
}
