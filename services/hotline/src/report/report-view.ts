import { type FieldCipher, maskEmail, maskName, maskPhone } from '@backbone/platform';
import { PII_CONTEXT } from '../personal-data/personal-data';
import type { Report, ReportHistoryEntry } from './report.entity';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** What staff see of a report: everything but the reporter's contact, which is masked. */
export function reportView(report: Report, cipher: FieldCipher) {
  const decrypt = (value: string | null, context: string) => (value ? cipher.decrypt(value, context) : null);
  const name = decrypt(report.reporterNameCipher, PII_CONTEXT.reporterName);
  const phone = decrypt(report.reporterPhoneCipher, PII_CONTEXT.reporterPhone);
  const email = decrypt(report.reporterEmailCipher, PII_CONTEXT.reporterEmail);
  return {
    id: report.id,
    channel: report.channel,
    categoryCode: report.categoryCode,
    category: report.category,
    level: report.level,
    status: report.status,
    unitCode: report.unitCode,
    routedBy: report.routedBy,
    description: report.description,
    location: { address: report.locationAddress, lat: report.lat, long: report.long },
    media: report.media,
    reporter: {
      name: name ? maskName(name) : null,
      phone: phone ? maskPhone(phone) : null,
      email: email ? maskEmail(email) : null,
      appAccountId: report.appAccountId,
    },
    callId: report.callId,
    duplicateOf: report.duplicateOf,
    submittedAt: iso(report.submittedAt),
    acceptanceDueAt: iso(report.acceptanceDueAt),
    acceptedAt: iso(report.acceptedAt),
    handlingDueAt: iso(report.handlingDueAt),
    assignee: report.assignee,
    answer: report.answerText,
    answeredAt: iso(report.answeredAt),
    closedAt: iso(report.closedAt),
    rating: report.rating,
    rejectionReason: report.rejectionReason,
    reopenCount: report.reopenCount,
    escalated: report.escalated,
    version: report.version,
  };
}
export type ReportView = ReturnType<typeof reportView>;

export function historyView(entry: ReportHistoryEntry) {
  return {
    sequence: entry.sequence,
    eventType: entry.eventType,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    unitCode: entry.unitCode,
    actor: { subject: entry.actorSubject, role: entry.actorRole },
    at: entry.at.toISOString(),
    withinSla: entry.withinSla,
    details: entry.details,
  };
}
