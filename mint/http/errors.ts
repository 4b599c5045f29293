/**
 * One error handler for every route: a MintError becomes HTTP 400 with NUT-00 `{ detail, code }`; schema
 * failures, bad JSON, oversized or wrongly typed bodies keep their 4xx with code 10000. Anything else is a bug
 * and answers 500 without internals.
 * @module
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { MINT_ERROR_CODES, MintError } from '../errors.js';

const BAD_REQUEST = MINT_ERROR_CODES['bad-request'];

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | MintError, request, reply) => {
    if (error instanceof MintError) return reply.status(400).send(error.toJSON());
    if (error.validation) {
      return reply.status(400).send({ detail: `invalid request: ${error.message}`, code: BAD_REQUEST });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send({ detail: error.message, code: BAD_REQUEST });
    request.log.error({ err: error }, 'unexpected mint error');
    return reply.status(500).send({ detail: 'internal error', code: 0 });
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ detail: 'not found', code: BAD_REQUEST }));
}
