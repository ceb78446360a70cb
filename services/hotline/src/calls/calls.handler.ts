import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { buildEvent, CallInquiryAnsweredV1, uuidv7 } from '@backbone/contracts';
import {
  AuditTrail,
  type AuthenticatedUser,
  changeAggregate,
  eventTrace,
  FieldCipher,
  maskPhone,
  TypedProblemException,
  ValidationProblemException,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { HotlineConfig } from '../config';
import { PII_CONTEXT } from '../personal-data/personal-data';
import { actorOf } from '../report/report-actor';
import { ReportIntake } from '../submit-report/report-intake';
import type { SubmitReportDto } from '../submit-report/submit-report.dto';
import { parseAsteriskCdr } from './asterisk-cdr';
import { CALL_VERSION_CONFLICT, CallRecorder, callChange } from './call-recorder';
import { Call } from './call.entity';
import type { AnswerInquiryDto, PbxCallEventDto } from './calls.dto';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** What staff see of a call: the caller's number masked. */
export function callView(call: Call, cipher: FieldCipher) {
  const number = call.callerNumberCipher
    ? cipher.decrypt(call.callerNumberCipher, PII_CONTEXT.callerNumber)
    : null;
  return {
    id: call.id,
    pbxUniqueId: call.pbxUniqueId,
    line: call.line,
    caller: number ? maskPhone(number) : null,
    startedAt: iso(call.startedAt),
    answeredAt: iso(call.answeredAt),
    endedAt: iso(call.endedAt),
    durationSeconds: call.durationSeconds,
    billableSeconds: call.billableSeconds,
    queue: call.queue,
    agent: call.agent,
    disposition: call.disposition,
    outcome: call.outcome,
    inquiry: call.inquiryAnsweredAt
      ? {
          category: call.inquiryCategory,
          answer: call.inquiryAnswer,
          answeredAt: iso(call.inquiryAnsweredAt),
        }
      : null,
    reportId: call.reportId,
    source: call.source,
  };
}

@Injectable()
export class CallsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recorder: CallRecorder,
    private readonly intake: ReportIntake,
    private readonly cipher: FieldCipher,
    private readonly auditTrail: AuditTrail,
    private readonly config: HotlineConfig,
  ) {}

  async pbxEvent(input: PbxCallEventDto) {
    const startedAt = new Date(input.startedAt);
    const line = input.line ?? '1022';
    if (input.event === 'started') {
      const { call, outcome } = await this.recorder.recordStart(
        { uniqueId: input.uniqueId, callerNumber: input.callerNumber, line, startedAt },
        'webhook',
      );
      return { outcome, call: callView(call, this.cipher) };
    }
    const endedAt = new Date(input.endedAt!);
    if (endedAt < startedAt)
      throw new ValidationProblemException([{ field: 'endedAt', reason: 'is before startedAt' }]);
    const { call, outcome } = await this.recorder.recordEnd(
      {
        uniqueId: input.uniqueId,
        callerNumber: input.callerNumber,
        line,
        startedAt,
        answeredAt: input.answeredAt ? new Date(input.answeredAt) : null,
        endedAt,
        durationSeconds: input.durationSeconds!,
        billableSeconds: input.billableSeconds ?? 0,
        queue: input.queue ?? null,
        agent: input.agent ?? null,
        disposition: input.disposition!,
      },
      'webhook',
    );
    return { outcome, call: callView(call, this.cipher) };
  }

  /**
   * An Asterisk Master.csv: every line checked first (a bad line refuses the file, naming each
   * line), then each call recorded once by its uniqueid. The same file twice adds nothing.
   */
  async importCdr(text: string, timeZone: 'local' | 'utc', user: AuthenticatedUser) {
    const { records, problems } = parseAsteriskCdr(text, { timeZone });
    if (problems.length > 0)
      throw new ValidationProblemException(
        problems.slice(0, 50).map((problem) => ({ field: `line ${problem.line}`, reason: problem.reason })),
      );
    let added = 0;
    let completed = 0;
    for (const record of records) {
      const { outcome } = await this.recorder.recordEnd(record, 'cdr-import');
      if (outcome === 'added') added += 1;
      if (outcome === 'completed') completed += 1;
    }
    const id = uuidv7();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO cdr_imports (id, file_sha256, rows_read, calls_added, calls_completed, imported_by, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [id, createHash('sha256').update(text).digest('hex'), records.length, added, completed, user.subject],
      );
      await this.auditTrail.record(manager, {
        action: 'hotline.call.import-cdr',
        targetType: 'cdr-import',
        targetId: id,
        unitCode: this.config.HOTLINE_CITY_UNIT_CODE,
      });
    });
    return {
      importId: id,
      linesRead: records.length,
      callsAdded: added,
      callsCompleted: completed,
      unchanged: records.length - added - completed,
    };
  }

  async one(id: string) {
    const call = await this.dataSource.getRepository(Call).findOneBy({ id });
    if (!call)
      throw new TypedProblemException(
        'urn:backbone:problem:not-found',
        HttpStatus.NOT_FOUND,
        `No call ${id}`,
      );
    return callView(call, this.cipher);
  }

  /** The agent answered the caller's question on the call: call.inquiry-answered.v1 (the answer stays here). */
  async answerInquiry(id: string, input: AnswerInquiryDto, user: AuthenticatedUser) {
    const actor = actorOf(user);
    const now = new Date();
    const answer = await changeAggregate(this.dataSource, Call, id, {
      auditTrail: this.auditTrail,
      decide: (call) => {
        if (call.reportId)
          throw new TypedProblemException(
            'urn:backbone:problem:call-has-report',
            HttpStatus.CONFLICT,
            `Call ${id} became report ${call.reportId}`,
          );
        if (call.inquiryAnsweredAt)
          throw new TypedProblemException(
            'urn:backbone:problem:call-inquiry-answered',
            HttpStatus.CONFLICT,
            `Call ${id} was already answered`,
          );
        call.inquiryCategory = input.category;
        call.inquiryAnswer = input.answer.trim();
        call.inquiryAnsweredAt = now;
        call.inquiryAnsweredBy = user.subject;
        call.version += 1;
        const event = buildEvent(CallInquiryAnsweredV1, {
          subject: call.id,
          unitcode: call.unitCode,
          sequence: call.version,
          time: now,
          data: {
            callId: call.id,
            answeredAt: now.toISOString(),
            category: input.category,
            ...(actor.staffId ? { actorId: actor.staffId } : {}),
          },
          ...eventTrace(),
        });
        return callChange(call, event, {
          topic: this.config.HOTLINE_EVENTS_TOPIC,
          action: 'hotline.call.answer-inquiry',
          answer: callView(call, this.cipher),
        });
      },
      status: HttpStatus.OK,
      conflict: CALL_VERSION_CONFLICT,
    });
    if (!answer)
      throw new TypedProblemException(
        'urn:backbone:problem:not-found',
        HttpStatus.NOT_FOUND,
        `No call ${id}`,
      );
    return answer;
  }

  /** A report from the call (channel 1022), linked to it; the agent chooses the unit if the place names none. */
  async reportFromCall(id: string, input: SubmitReportDto, user: AuthenticatedUser) {
    const call = await this.dataSource.getRepository(Call).findOneBy({ id });
    if (!call)
      throw new TypedProblemException(
        'urn:backbone:problem:not-found',
        HttpStatus.NOT_FOUND,
        `No call ${id}`,
      );
    if (call.inquiryAnsweredAt)
      throw new TypedProblemException(
        'urn:backbone:problem:call-inquiry-answered',
        HttpStatus.CONFLICT,
        `Call ${id} was answered as an inquiry`,
      );
    const reporter = { ...(input.reporter ?? {}) };
    // The caller's number is the reporter's phone unless the agent noted another.
    if (!reporter.phone && call.callerNumberCipher)
      reporter.phone = this.cipher.decrypt(call.callerNumberCipher, PII_CONTEXT.callerNumber);
    return this.intake.submit(
      { ...input, channel: '1022', reporter },
      { actor: actorOf(user), callId: id, unitRequired: true },
    );
  }
}
