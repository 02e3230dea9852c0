import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../http/error-catalog.js';
import { sendBody, sendError, sendJson } from '../http/send.js';
import type { FaultKind, ResolvedFaultSettings } from './fault-config.js';

export interface FaultTarget {
  req: IncomingMessage;
  res: ServerResponse;
  /** The body a healthy answer would have; 'delay' and 'truncated' send (part of) it. */
  successBody: () => string;
  /** Runs `action` after `ms`, unless the emulator closes first. */
  schedule: (ms: number, action: () => void) => void;
}

// What a gateway in trouble sends instead of JSON.
const BAD_GATEWAY_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';

export function injectFault(kind: FaultKind, settings: ResolvedFaultSettings, target: FaultTarget): void {
  const { req, res } = target;
  switch (kind) {
    case '429':
      sendError(res, errors.throttled(), { 'Retry-After': String(settings.retryAfterSeconds) });
      return;
    case '500':
      sendError(res, errors.internal());
      return;
    case '503':
      sendError(res, errors.unavailable());
      return;
    case 'reset':
      // A TCP RST, so the client sees ECONNRESET rather than a tidy close.
      req.socket.resetAndDestroy();
      return;
    case 'delay':
      target.schedule(settings.delayMs, () => {
        if (!res.destroyed && !res.headersSent) sendJson(res, 200, target.successBody());
      });
      return;
    case 'truncated': {
      // A complete HTTP message whose JSON stops half-way, as when a proxy cuts a body.
      const body = target.successBody();
      sendJson(res, 200, body.slice(0, Math.max(1, Math.floor(body.length / 2))));
      return;
    }
    case 'html502':
      sendBody(res, 502, BAD_GATEWAY_PAGE, 'text/html; charset=utf-8');
      return;
    case 'unsuccessful':
      sendJson(res, 200, JSON.stringify({ is_success: false, error_code: 'ModelArts.6101', error_msg: 'System busy.' }));
      return;
  }
}
