import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { REPORT_CHANNELS, REPORT_LEVELS, type ReportChannel, type ReportLevel } from '@backbone/contracts';
import { DataSource } from 'typeorm';
import { HotlineConfig } from '../config';
import type { Report } from '../report/report.entity';
import { HANOI_UNITS, hanoiUnit } from '../routing/unit-directory';
import type { ReportCategoryVersion } from '../taxonomy/taxonomy.entities';
import type { Open311Object } from './georeport-format';

/** The one jurisdiction this endpoint serves. */
export const JURISDICTION_ID = 'hanoi';

const STATUS_NOTES: Record<string, string> = {
  received: 'Đã tiếp nhận, chờ đơn vị xử lý nhận / Received, awaiting the responsible unit',
  accepted: 'Đơn vị đã nhận xử lý / Accepted by the responsible unit',
  assigned: 'Đã giao cán bộ xử lý / Assigned to an officer',
  'in-progress': 'Đang xử lý / In progress',
  answered: 'Đã có kết quả trả lời / Answered',
  closed: 'Đã đóng / Closed',
  rejected: 'Không tiếp nhận / Not taken up',
  duplicate: 'Trùng với phản ánh đang xử lý / Linked to an open report of the same problem',
};

const REJECTION_NOTES: Record<string, string> = {
  'out-of-scope': 'outside the city’s remit',
  unclear: 'the report was unclear',
  'formal-complaint': 'a formal complaint, to be filed under the Law on Complaints',
};

/** The Open311 view of a report: status and place only, never the reporter or their words. */
export function publicRequest(
  report: Report,
  category: ReportCategoryVersion | undefined,
  primary?: Report | null,
): Open311Object {
  const shown = primary ?? report;
  const closed = shown.status === 'closed' || shown.status === 'rejected';
  const expected =
    shown.status === 'received'
      ? shown.acceptanceDueAt
      : closed || shown.status === 'answered'
        ? null
        : shown.handlingDueAt;
  let notes = STATUS_NOTES[report.status] ?? report.status;
  if (primary) notes = `${notes}: ${STATUS_NOTES[primary.status] ?? primary.status}`;
  if (shown.status === 'rejected' && shown.rejectionReason)
    notes = `${notes}: ${REJECTION_NOTES[shown.rejectionReason] ?? shown.rejectionReason}`;
  const unit = hanoiUnit(shown.unitCode);
  return {
    service_request_id: report.id,
    status: closed ? 'closed' : 'open',
    status_notes: notes,
    service_name: category?.nameVi ?? report.categoryCode,
    service_code: report.categoryCode,
    agency_responsible: unit ? `UBND ${unit.fullName}` : shown.unitCode,
    service_notice: '',
    requested_datetime: report.submittedAt.toISOString(),
    updated_datetime: (primary && primary.updatedAt > report.updatedAt
      ? primary.updatedAt
      : report.updatedAt
    ).toISOString(),
    expected_datetime: expected ? expected.toISOString() : null,
    address: report.locationAddress,
    address_id: null,
    zipcode: null,
    lat: report.lat,
    long: report.long,
    media_url: report.media.find((media) => media.url)?.url ?? null,
  };
}

export function publicService(category: ReportCategoryVersion): Open311Object {
  return {
    service_code: category.code,
    service_name: category.nameVi,
    description: category.description,
    metadata: true,
    type: 'realtime',
    keywords: `${category.group}, ${category.nameEn}`,
    group: category.group,
  };
}

/** The attributes every service takes: the unit (when the place names none) and the level. */
export function serviceDefinition(code: string): Open311Object {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'unit_code',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: 'Mã đơn vị hành chính / unit code',
        order: 1,
        description:
          'Phường/xã nơi xảy ra sự việc, nếu địa chỉ chưa nêu / The commune or ward, if the address does not name it',
        values: HANOI_UNITS.map((unit) => ({ key: unit.code, name: unit.fullName })),
      },
      {
        variable: true,
        code: 'level',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: 'urgent, complex, normal',
        order: 2,
        description: 'Mức độ / Level (Decision 1207/QĐ-UBND)',
        values: REPORT_LEVELS.map((level: ReportLevel) => ({ key: level, name: level })),
      },
    ],
  };
}

/**
 * Open311 API keys (OPEN311_API_KEYS = `channel:key,…`): each key names the channel its reports
 * come from. Held as SHA-256 digests and compared in constant time.
 */
@Injectable()
export class Open311Keys {
  private readonly keys: { digest: Buffer; channel: ReportChannel }[];

  constructor(
    config: HotlineConfig,
    readonly dataSource: DataSource,
  ) {
    this.keys = (config.OPEN311_API_KEYS ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map((entry) => {
        const separator = entry.indexOf(':');
        const channel = entry.slice(0, separator) as ReportChannel;
        const key = entry.slice(separator + 1);
        if (separator < 1 || !REPORT_CHANNELS.includes(channel) || key.length < 16)
          throw new Error(
            'OPEN311_API_KEYS: each entry is channel:key with a known channel and a key of 16+ characters',
          );
        return { digest: createHash('sha256').update(key).digest(), channel };
      });
  }

  channelOf(apiKey: string | undefined): ReportChannel | undefined {
    if (!apiKey) return undefined;
    const digest = createHash('sha256').update(apiKey).digest();
    let found: ReportChannel | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.digest, digest)) found = key.channel;
    return found;
  }
}
