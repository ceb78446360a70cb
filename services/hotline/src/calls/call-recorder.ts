import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import type { CloudEvent } from '@backbone/contracts';
import { addToOutbox, outboxInsertStatement } from '@backbone/messaging';
import {
  type AggregateChange,
  AuditTrail,
  BlindIndex,
  changeAggregate,
  FieldCipher,
  Pseudonymizer,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { HotlineConfig } from '../config';
import { normalisePhone, PII_CONTEXT } from '../personal-data/personal-data';
import type { PbxCallRecord } from './asterisk-cdr';
import { Call } from './call.entity';
import { callEndedEvent, callReceivedEvent } from './call-events';

export interface CallStart {
  uniqueId: string;
  callerNumber: string;
  line: string;
  startedAt: Date;
}

export type RecordOutcome = 'added' | 'completed' | 'unchanged';

/** The 409 of a call that kept changing under a change (libs/platform changeAggregate's `conflict`). */
export const CALL_VERSION_CONFLICT = {
  type: 'urn:backbone:problem:call-version-conflict',
  detail: 'The call kept changing while this change was being made: reload it and decide again',
};

/**
 * A change of a known call as the platform's changeAggregate writes it beside the call's row: its
 * event (outbox) and the audit record `hotline.call.<action>` of the call's unit. A call has no history.
 */
export function callChange<R>(
  call: Call,
  event: CloudEvent,
  write: { topic: string; action: string; answer: R },
): AggregateChange<R> {
  return {
    alongside: [outboxInsertStatement([event], { topic: write.topic })],
    audit: { action: write.action, targetType: 'call', targetId: call.id, unitCode: call.unitCode },
    answer: write.answer,
  };
}

/**
 * Records calls from the PBX (webhook or CDR import), once per PBX `uniqueid`: a new call is one
 * transaction (the row with ON CONFLICT DO NOTHING, its events in the outbox, the audit record); a
 * known call that now ends goes through the aggregate write path (libs/platform changeAggregate). A call the PBX
 * sends again changes nothing.
 */
@Injectable()
export class CallRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly auditTrail: AuditTrail,
    private readonly config: HotlineConfig,
  ) {}

  /** A call that started (webhook `started`): call.received.v1. */
  async recordStart(start: CallStart, source: string): Promise<{ call: Call; outcome: RecordOutcome }> {
    const call = this.newCall(start, source);
    const events = [callReceivedEvent(call)];
    const added = await this.insert(call, events);
    if (added) return { call, outcome: 'added' };
    return { call: await this.byUniqueId(start.uniqueId), outcome: 'unchanged' };
  }

  /**
   * A call that ended (webhook `ended`, a CDR line): a new one gets call.received.v1 and
   * call.ended.v1 together; a started one gets call.ended.v1; an ended one is left alone.
   */
  async recordEnd(record: PbxCallRecord, source: string): Promise<{ call: Call; outcome: RecordOutcome }> {
    const call = this.newCall(record, source);
    applyEnd(call, record);
    const events = [callReceivedEvent(call), callEndedEvent(call)];
    if (await this.insert(call, events)) return { call, outcome: 'added' };
    const existing = await this.byUniqueId(record.uniqueId);
    let outcome: RecordOutcome = 'unchanged';
    const changed = await changeAggregate(this.dataSource, Call, existing.id, {
      auditTrail: this.auditTrail,
      decide: (known) => {
        if (known.endedAt) return null;
        applyEnd(known, record);
        outcome = 'completed';
        return callChange(known, callEndedEvent(known), {
          topic: this.config.HOTLINE_EVENTS_TOPIC,
          action: 'hotline.call.end',
          answer: known,
        });
      },
      conflict: CALL_VERSION_CONFLICT,
    });
    return { call: changed ?? existing, outcome };
  }

  async byUniqueId(uniqueId: string): Promise<Call> {
    return this.dataSource.getRepository(Call).findOneOrFail({ where: { pbxUniqueId: uniqueId } });
  }

  private newCall(start: CallStart, source: string): Call {
    const number = normalisePhone(start.callerNumber);
    return Object.assign(new Call(), {
      id: uuidv7(),
      pbxUniqueId: start.uniqueId,
      line: start.line,
      callerNumberCipher: number ? this.cipher.encrypt(number, PII_CONTEXT.callerNumber) : null,
      callerNumberIndex: number ? this.blindIndex.compute(number, PII_CONTEXT.callerNumber) : null,
      // The same pseudonym as the caller's reports and app account (identityOf: phone first).
      callerPseudonym: this.pseudonymizer.pseudonymize(`phone:${number || 'anonymous'}`),
      startedAt: start.startedAt,
      answeredAt: null,
      endedAt: null,
      durationSeconds: null,
      billableSeconds: null,
      queue: null,
      agent: null,
      disposition: null,
      outcome: null,
      inquiryCategory: null,
      inquiryAnswer: null,
      inquiryAnsweredAt: null,
      inquiryAnsweredBy: null,
      reportId: null,
      source,
      unitCode: this.config.HOTLINE_CITY_UNIT_CODE,
      version: 0,
      createdAt: new Date(),
    });
  }

  /** One transaction: the call if its uniqueid is new, then its events and audit record; false if known. */
  private insert(call: Call, events: ReturnType<typeof callReceivedEvent>[]): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Call)
        .values(call)
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return false;
      await addToOutbox(manager, events, { topic: this.config.HOTLINE_EVENTS_TOPIC });
      await this.auditTrail.record(manager, {
        action: 'hotline.call.record',
        targetType: 'call',
        targetId: call.id,
        unitCode: call.unitCode,
      });
      return true;
    });
  }
}

function applyEnd(call: Call, record: PbxCallRecord): void {
  call.answeredAt = record.answeredAt;
  call.endedAt = record.endedAt;
  call.durationSeconds = record.durationSeconds;
  call.billableSeconds = record.billableSeconds;
  call.queue = record.queue;
  call.agent = record.agent;
  call.disposition = record.disposition;
}
