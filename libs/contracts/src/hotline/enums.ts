/** The hotline number calls come in on. */
export const HOTLINE_LINES = ['1022'] as const;
export type HotlineLine = (typeof HOTLINE_LINES)[number];

export const CALL_OUTCOMES = ['report-created', 'information-given', 'abandoned', 'transferred'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Where a report (phản ánh, kiến nghị) came from. */
export const REPORT_CHANNELS = ['1022', 'ihanoi', 'web', 'email', 'zalo'] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];

export const REPORT_CATEGORIES = [
  'urban-order',
  'environment',
  'traffic',
  'construction',
  'security',
  'administrative-procedures',
  'utilities',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** Decision 1207/QĐ-UBND levels: urgent reports are handled within 4 working hours of acceptance. */
export const REPORT_LEVELS = ['urgent', 'complex', 'normal'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

export const REPORT_REJECTION_REASONS = ['out-of-scope', 'unclear', 'formal-complaint', 'duplicate'] as const;
export type ReportRejectionReason = (typeof REPORT_REJECTION_REASONS)[number];

/** The SLA stage a report missed: acceptance (8 working hours) or handling. */
export const REPORT_SLA_STAGES = ['acceptance', 'handling'] as const;
export type ReportSlaStage = (typeof REPORT_SLA_STAGES)[number];

/**
 * Who took a step of a report's lifecycle, by role (never a person): the citizen through a
 * channel, a hotline agent, the responsible unit's staff, the city, or the service itself
 * (deadline checks, duplicate linking).
 */
export const REPORT_ACTOR_ROLES = [
  'citizen',
  'hotline-agent',
  'officer',
  'unit-head',
  'city-admin',
  'service',
  'system',
] as const;
export type ReportActorRole = (typeof REPORT_ACTOR_ROLES)[number];
