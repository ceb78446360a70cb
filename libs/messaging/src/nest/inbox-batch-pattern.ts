/** The pattern of the one batch handler a consumer group may have instead of per-type handlers (`@InboxBatch()`). */
export const INBOX_BATCH_PATTERN = 'backbone.inbox.batch';
