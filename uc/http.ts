/**
 * What both UC servers share: strict JSON-schema validation (no type coercion, no unknown fields), small bodies,
 * one error handler that turns every failure into `{error, message}` (4xx with its code; 5xx without internals),
 * and log lines that carry the method, the path and the status only: no addresses, no bodies.
 * @module
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { HttpError, type HttpErrorCode } from './errors.js';
import { LedgerUnavailableError } from './ledger/index.js';

export interface HttpOptions {
  logger: FastifyServerOptions['logger'];
  bodyLimit: number;
}

/** Fastify's own 4xx errors, by code; their messages can quote the body (JSON.parse), so they are replaced. */
const FASTIFY_ERRORS: Record<string, [number, HttpErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', 'request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'send application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-request', 'content-length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad-request', 'empty JSON body'],
};

/** How long a client should wait before retrying while the ledger database is away (a failover takes ~10 s). */
const LEDGER_RETRY_AFTER_S = 2;

function toReply(err: FastifyError | HttpError): { status: number; code: HttpErrorCode; message: string } {
  if (err instanceof HttpError) return { status: err.statusCode, code: err.code, message: err.message };
  if (err instanceof LedgerUnavailableError)
    return { status: 503, code: 'ledger-unavailable', message: 'the database is restarting or failing over; retry the same request' };
  if (err.statusCode === 429) return { status: 429, code: 'rate-limited', message: 'too many requests; retry after Retry-After seconds' };
  if (err.validation) return { status: 400, code: 'bad-request', message: err.message };
  const known = FASTIFY_ERRORS[err.code];
  if (known) return { status: known[0], code: known[1], message: known[2] };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return { status: 400, code: 'bad-request', message: 'malformed request' };
  return { status: 500, code: 'internal', message: 'internal error' };
}

export function newServer(opts: HttpOptions): FastifyInstance {
  const app = Fastify({
    logger: opts.logger,
    bodyLimit: opts.bodyLimit,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    return503OnClosing: true,
  });
  app.removeContentTypeParser('text/plain'); // JSON only: anything else is a 415
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    const { status, code, message } = toReply(err);
    // 4xx: the code only (the message may name a field, never its value). 5xx: the error, for the operator.
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code }, 'request refused');
    const retryAfterS = (err instanceof HttpError ? err.retryAfterS : undefined) ?? (code === 'ledger-unavailable' ? LEDGER_RETRY_AFTER_S : undefined);
    if (retryAfterS !== undefined) void reply.header('retry-after', String(retryAfterS));
    void reply.code(status).send({ error: code, message });
  });
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: 'not-found', message: 'no such route' }));
  return app;
}

/** Log serializers that keep addresses, headers and bodies out of every log line. */
export const privateSerializers = {
  req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};
