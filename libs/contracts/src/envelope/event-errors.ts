/** Why a record could not become a typed event. Each reason is permanent: retrying cannot fix it. */
export type EventErrorReason =
  'invalid-json' | 'missing-attribute' | 'invalid-attribute' | 'unknown-type' | 'invalid-data';

export class EventContractError extends Error {
  override readonly name = 'EventContractError';

  constructor(
    readonly reason: EventErrorReason,
    /** One line per problem, naming the attribute or `data.<field>` and what is wrong. */
    readonly problems: string[],
    readonly eventType?: string,
  ) {
    super(`${reason}${eventType ? ` (${eventType})` : ''}: ${problems.join('; ')}`);
  }
}
