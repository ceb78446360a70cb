import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import {
  AUDIT_EVENTS_TOPIC,
  DOSSIER_CODE_PATTERN,
  DOSSIER_EVENTS_TOPIC,
  dlqTopicFor,
  EVENT_CLASSES,
  EVENT_TOPICS,
  eventClassFor,
  HOTLINE_EVENTS_TOPIC,
  PARTY_FEE_EVENTS_TOPIC,
  PROCEDURE_CODE_PATTERN,
  registeredEventTypes,
  SIGNING_EVENTS_TOPIC,
  sourceFor,
  UNIT_CODE_PATTERN,
} from './index';
import type { EventClass } from './envelope/event-type';
import { readClassDocs } from './generate/tsdoc';

/** The catalogue agreed across the team: producers and consumers rely on these exact names. */
const AGREED_TYPES: Record<string, string[]> = {
  [DOSSIER_EVENTS_TOPIC]: [
    'dossier.submitted-online.v1',
    'dossier.received.v1',
    'dossier.refused-at-intake.v1',
    'dossier.processing-started.v1',
    'dossier.supplement-requested.v1',
    'dossier.supplement-provided.v1',
    'dossier.payment-requested.v1',
    'dossier.fee-paid.v1',
    'dossier.resolved.v1',
    'dossier.result-returned.v1',
    'dossier.withdrawn.v1',
    'dossier.stopped.v1',
    'dossier.overdue.v1',
    'dossier.apology-issued.v1',
    'dossier.result-rejected.v1',
    'calendar.official-year-set.v1',
  ],
  [SIGNING_EVENTS_TOPIC]: [
    'signature.requested.v1',
    'signature.completed.v1',
    'signature.rejected.v1',
    'signature.timed-out.v1',
    'certificate.issued.v1',
    'certificate.revoked.v1',
    'certificate.expiring.v1',
  ],
  [HOTLINE_EVENTS_TOPIC]: [
    'call.received.v1',
    'call.ended.v1',
    'call.inquiry-answered.v1',
    'report.submitted.v1',
    'report.accepted.v1',
    'report.assigned.v1',
    'report.answered.v1',
    'report.closed.v1',
    'report.rejected.v1',
    'report.reopened.v1',
    'report.overdue.v1',
    'report.work-started.v1',
    'report.transferred.v1',
    'report.escalated.v1',
    'report.duplicate-linked.v1',
    'app-account.registered.v1',
  ],
  [PARTY_FEE_EVENTS_TOPIC]: [
    'party-fee.assessment-adjusted.v1',
    'party-member.transferred.v1',
    'party-member.arrears-flagged.v1',
    'party-member.registered.v1',
    'party-fee.assessed.v1',
    'party-fee.paid.v1',
    'party-fee.payment-reversed.v1',
  ],
  [AUDIT_EVENTS_TOPIC]: ['audit.checkpoint.v1'],
};

const catalogue = registeredEventTypes();

/** Every property name of an event class, nested classes included, with its path. */
function fieldPaths(eventClass: EventClass, prefix = ''): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(eventClass, '', true, false);
  const names = [...new Set(metadata.map((meta) => meta.propertyName))];
  return names.flatMap((name) => {
    const nested = metadata.find((meta) => meta.propertyName === name && meta.type === 'nestedValidation');
    const path = `${prefix}${name}`;
    if (!nested) return [path];
    const nestedClass = Reflect.getMetadata('design:type', eventClass.prototype, name) as EventClass;
    return [path, ...fieldPaths(nestedClass, `${path}.`)];
  });
}

describe('event catalogue', () => {
  it('registers exactly the agreed event types on import, each on its agreed topic', () => {
    const byTopic: Record<string, string[]> = {};
    for (const { metadata } of catalogue) (byTopic[metadata.topic] ??= []).push(metadata.type);
    for (const types of Object.values(byTopic)) types.sort();
    const agreed = Object.fromEntries(
      Object.entries(AGREED_TYPES).map(([topic, types]) => [topic, [...types].sort()]),
    );
    expect(byTopic).toEqual(agreed);
    expect(EVENT_CLASSES).toHaveLength(catalogue.length);
  });

  it('lists every event topic in EVENT_TOPICS and parks failures in <group>.dlq', () => {
    expect([...EVENT_TOPICS].sort()).toEqual(Object.keys(AGREED_TYPES).sort());
    expect(EVENT_TOPICS).toEqual([
      'dossier.events.v1',
      'signing.events.v1',
      'hotline.events.v1',
      'party-fee.events.v1',
      'audit.events.v1',
    ]);
    expect(dlqTopicFor('reporting')).toBe('reporting.dlq');
    expect(() => dlqTopicFor('')).toThrow();
  });

  it.each(catalogue.map(({ metadata, eventClass }) => [metadata.type, metadata, eventClass] as const))(
    '%s: class name, file, producer, source and aggregate follow the conventions',
    (type, metadata, eventClass) => {
      const [aggregate, verb, version] = type.split('.');
      expect(metadata.aggregate).toBe(aggregate);
      expect(metadata.topic).toBe(`${metadata.producer}.events.v1`);
      expect(sourceFor(metadata.producer)).toBe(`/two-tier-backbone/${metadata.producer}`);
      expect(eventClassFor(type)).toBe(eventClass);
      const pascal = `${aggregate}-${verb}`.replace(/(^|-)([a-z])/g, (_, __, letter: string) =>
        letter.toUpperCase(),
      );
      expect(eventClass.name).toBe(`${pascal}${version!.toUpperCase()}`);
      expect(existsSync(join(__dirname, metadata.producer, `${aggregate}-${verb}.${version}.ts`))).toBe(true);
      expect(metadata.description.length).toBeGreaterThan(10);
    },
  );

  it('documents every field of every event class with TSDoc', () => {
    const docs = readClassDocs(__dirname);
    const undocumented: string[] = [];
    for (const { eventClass } of catalogue) {
      for (const path of fieldPaths(eventClass)) {
        const parts = path.split('.');
        let owner: EventClass = eventClass;
        for (const part of parts.slice(0, -1))
          owner = Reflect.getMetadata('design:type', owner.prototype, part);
        if (!docs.get(owner.name)?.fields.get(parts.at(-1)!)) undocumented.push(`${eventClass.name}.${path}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});

describe('privacy rule: no personal data on Kafka', () => {
  // Names, national ids, phone numbers, addresses, e-mails, birth dates: only a *Pseudonym may stand for a person.
  const PERSONAL =
    /name|national|citizenid|idcard|cccd|cmnd|passport|phone|mobile|address|email|birth|dob|gender/i;

  it.each(catalogue.map(({ metadata, eventClass }) => [metadata.type, eventClass] as const))(
    '%s carries no field named like personal data',
    (_type, eventClass) => {
      const offending = fieldPaths(eventClass).filter((path) => {
        const field = path.split('.').at(-1)!;
        return PERSONAL.test(field) && !field.endsWith('Pseudonym');
      });
      expect(offending).toEqual([]);
    },
  );

  it('the check itself catches such fields', () => {
    const leaky = [
      'applicantName',
      'fullName',
      'nationalId',
      'citizenIdCard',
      'phone',
      'callerPhoneNumber',
      'address',
      'homeAddress',
      'email',
      'dateOfBirth',
    ];
    expect(leaky.filter((name) => !PERSONAL.test(name))).toEqual([]);
    expect(PERSONAL.test('applicantPseudonym')).toBe(false);
  });

  it('every *Pseudonym field is validated as a keyed-hash pseudonym', () => {
    const notPseudonyms: string[] = [];
    let checked = 0;
    for (const { eventClass } of catalogue) {
      const metadata = getMetadataStorage().getTargetValidationMetadatas(eventClass, '', true, false);
      for (const meta of metadata.filter((m) => m.propertyName.endsWith('Pseudonym'))) {
        if (meta.type === 'customValidation' && meta.name === 'matches') {
          const pattern = (meta.constraints as RegExp[])[0]!;
          if (pattern.test('a'.repeat(64)) && !pattern.test('Nguyễn Văn A') && !pattern.test('0912345678')) {
            checked += 1;
            continue;
          }
        }
        notPseudonyms.push(`${eventClass.name}.${meta.propertyName}`);
      }
    }
    expect(notPseudonyms).toEqual([]);
    // applicant ×2, caller, reporter, app account, party member
    expect(checked).toBe(6);
  });
});

describe('shared field patterns', () => {
  it('accept the codes the services issue', () => {
    for (const code of ['00070-250715-0042', 'SO-TP-250701-0001', '000.00.70.H26-250715-0042'])
      expect(DOSSIER_CODE_PATTERN.test(code)).toBe(true);
    for (const code of ['2.000635', '1.001193', '1.001193.000.00.00.H26', 'HN-CT-HD'])
      expect(PROCEDURE_CODE_PATTERN.test(code)).toBe(true);
    for (const code of ['00070', '00466', 'SO-TP', 'SO-NNMT', 'TTR-TP', 'VP-UBND', 'TT-PVHCC'])
      expect(UNIT_CODE_PATTERN.test(code)).toBe(true);
  });

  it('reject malformed ones', () => {
    for (const code of ['SO-TP-2507010001', 'SO-TP-250701-01', '-250701-0001'])
      expect(DOSSIER_CODE_PATTERN.test(code)).toBe(false);
    for (const code of ['1001193', '2.00063', 'hn-ct-hd'])
      expect(PROCEDURE_CODE_PATTERN.test(code)).toBe(false);
    for (const code of ['0070', '700000', 'so-tp', '']) expect(UNIT_CODE_PATTERN.test(code)).toBe(false);
  });
});
