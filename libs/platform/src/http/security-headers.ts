import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/** The headers every response carries that are not about its content (helmet never sets these). */
const NOT_SECURITY_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/**
 * The security headers @fastify/helmet sets for `options`, computed once. They do not depend on the
 * request (no CSP nonces, no per-route helmet options), while the plugin builds helmet's middleware
 * chain and parses the CSP directives again on every request; a service sets the same headers
 * from this record instead (installSecurityHeaders).
 */
export async function securityHeadersFor(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  try {
    await probe.register(helmet, options);
    probe.get('/', () => '');
    await probe.ready();
    const response = await probe.inject({ method: 'GET', url: '/' });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (NOT_SECURITY_HEADERS.has(name) || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return headers;
  } finally {
    await probe.close();
  }
}

/**
 * Sets helmet's headers for `options` on every response, as `app.register(helmet, options)` would
 * (from the start of each request, so errors and 404s carry them too), at the cost of one
 * `reply.headers()` per request.
 */
export async function installSecurityHeaders(
  fastify: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const headers = await securityHeadersFor(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
