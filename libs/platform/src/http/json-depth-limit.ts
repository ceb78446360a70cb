import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem-details.filter';

/**
 * Request DTOs nest a few levels (a dossier, its applicant, its attachments); 32 leaves room.
 * Deeper JSON parses fine, but class-transformer and class-validator recurse once per level and
 * overflow the stack at a few thousand levels: found by the API fuzz suite as a 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Refuses, with a 400 problem, any parsed body nested deeper than `maxDepth` before it reaches a handler. */
export function installJsonDepthLimit(fastify: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  fastify.addHook('preValidation', async (request, reply) => {
    if (!nestedDeeperThan(request.body, maxDepth)) return;
    sendProblem(reply, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: `The request body is nested deeper than ${maxDepth} levels`,
      instance: request.url.split('?')[0],
      requestId: request.id,
    });
    return reply;
  });
}

/** Iterative, so that measuring a hostile body cannot overflow the stack itself. */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}
