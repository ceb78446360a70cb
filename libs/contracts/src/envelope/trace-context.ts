/**
 * The CloudEvents distributed-tracing extension (W3C Trace Context): `traceparent` and `tracestate`
 * carry the trace an event belongs to from the request that caused it, through the outbox and
 * Kafka, into every consumer. Both are optional: an event from an untraced producer has neither.
 */

/** `<version>-<trace id>-<parent span id>-<flags>`, lower-case hex (W3C Trace Context, level 1). */
export const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** W3C: at most 32 list members; 512 characters is the size every vendor must propagate. */
export const TRACESTATE_MAX_LENGTH = 512;

/** The vendor list: printable ASCII only (no control characters, which a header could not carry). */
export const TRACESTATE_PATTERN = /^[\x20-\x7e]*$/;

/** What is wrong with an event's trace attributes, one line each (empty when nothing). */
export function traceContextProblems(traceparent: unknown, tracestate: unknown): string[] {
  const problems: string[] = [];
  if (
    traceparent !== undefined &&
    (typeof traceparent !== 'string' || !TRACEPARENT_PATTERN.test(traceparent))
  )
    problems.push('traceparent: must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)');
  if (
    tracestate !== undefined &&
    (typeof tracestate !== 'string' ||
      tracestate.length > TRACESTATE_MAX_LENGTH ||
      !TRACESTATE_PATTERN.test(tracestate))
  )
    problems.push(
      `tracestate: must be a W3C tracestate of printable ASCII, at most ${TRACESTATE_MAX_LENGTH} characters`,
    );
  if (tracestate !== undefined && traceparent === undefined)
    problems.push('tracestate: only with a traceparent');
  return problems;
}
