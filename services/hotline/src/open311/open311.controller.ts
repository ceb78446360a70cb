import { Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isSupportedHanoiDay } from '@backbone/calendar';
import { REPORT_LEVELS, type ReportLevel } from '@backbone/contracts';
import { Public, Throttle } from '@backbone/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpException } from '@nestjs/common';
import { In } from 'typeorm';
import { Report } from '../report/report.entity';
import { ReportIntake } from '../submit-report/report-intake';
import { CATEGORY_CODE_PATTERN } from '../taxonomy/taxonomy.dto';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import {
  CONTENT_TYPES,
  type Format,
  type Open311Object,
  splitFormat,
  XML_SHAPES,
  xmlList,
  xmlObject,
} from './georeport-format';
import {
  JURISDICTION_ID,
  Open311Keys,
  publicRequest,
  publicService,
  serviceDefinition,
} from './open311.service';

/** An Open311 error: answered as `[{code, description}]` / `<errors><error>…` with that HTTP status. */
class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_WITH_ZONE = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_IDS = 100;
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_RANGE_DAYS = 90;
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

type Params = Record<string, unknown>;

function text(params: Params, name: string, max = 200): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Open311Error(400, `${name} must be given once, as text`);
  if (value.length > max) throw new Open311Error(400, `${name} must be at most ${max} characters`);
  return value;
}

function instant(params: Params, name: string): Date | undefined {
  const value = text(params, name, 40);
  if (value === undefined) return undefined;
  const match = ISO_WITH_ZONE.exec(value);
  const at = new Date(value);
  if (!match || Number.isNaN(at.getTime()) || !isSupportedHanoiDay(at.toISOString().slice(0, 10)))
    throw new Open311Error(400, `${name} must be an ISO 8601 date-time with a time zone, years 2000–2100`);
  return at;
}

function number(params: Params, name: string, min: number, max: number): number | undefined {
  const value = text(params, name, 30);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Open311Error(400, `${name} must be a number from ${min} to ${max}`);
  return n;
}

/**
 * Open311 GeoReport v2 for Hanoi (jurisdiction_id `hanoi`), in JSON and XML: the services (the
 * taxonomy in force), a service's definition (attributes unit_code and level), POST requests (with
 * an api_key naming the channel), GET requests (filters service_request_id, service_code,
 * start_date, end_date, status; paging with page and page_size), one request, and tokens. Public
 * answers carry status and place only: never the reporter, their contact or their words. Errors in
 * the spec's format. Accepts the request shapes of the `three` client (codeforamerica/three).
 */
@ApiExcludeController()
@Controller('open311/v2')
export class Open311Controller {
  constructor(
    private readonly taxonomy: TaxonomyService,
    private readonly keys: Open311Keys,
    private readonly intake: ReportIntake,
  ) {}

  @Public()
  @Get(['services.json', 'services.xml'])
  async services(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.answer(request, reply, formatOfUrl(request), async () => {
      this.jurisdiction(request.query as Params);
      const services = (await this.taxonomy.categoriesOn()).map(publicService);
      return { kind: 'list', shape: XML_SHAPES.services, items: services };
    });
  }

  @Public()
  @Get('services/:file')
  async service(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = splitFormat(file);
    await this.answer(request, reply, parsed?.format, async () => {
      this.jurisdiction(request.query as Params);
      const code = parsed!.name;
      if (!CATEGORY_CODE_PATTERN.test(code) || !(await this.taxonomy.categoryOn(code)))
        throw new Open311Error(404, `service_code ${code.slice(0, 64)} was not found`);
      return { kind: 'object', root: 'service_definition', value: serviceDefinition(code) };
    });
  }

  @Public()
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  @Post(['requests.json', 'requests.xml'])
  async post(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.answer(request, reply, formatOfUrl(request), async () => {
      // Form fields in the body (the spec); some clients put them in the query string: both are read.
      const params: Params = {
        ...(request.query as Params),
        ...((request.body as Params | undefined) ?? {}),
      };
      this.jurisdiction(params);
      const channel = this.keys.channelOf(text(params, 'api_key', 200));
      if (!channel) throw new Open311Error(403, 'api_key is missing or not valid');
      const serviceCode = text(params, 'service_code', 64);
      if (!serviceCode) throw new Open311Error(400, 'service_code was not provided');
      if (!CATEGORY_CODE_PATTERN.test(serviceCode) || !(await this.taxonomy.categoryOn(serviceCode)))
        throw new Open311Error(404, `service_code ${serviceCode} was not found`);
      const lat = number(params, 'lat', -90, 90);
      const long = number(params, 'long', -180, 180);
      const address = text(params, 'address_string', 300);
      if ((lat === undefined) !== (long === undefined))
        throw new Open311Error(400, 'lat and long go together');
      if (lat === undefined && !address)
        throw new Open311Error(
          400,
          'a location is required: lat and long, or address_string (address_id is not supported)',
        );
      const level = text(params, 'attribute[level]', 20);
      if (level !== undefined && !(REPORT_LEVELS as readonly string[]).includes(level))
        throw new Open311Error(400, `attribute[level] must be one of ${REPORT_LEVELS.join(', ')}`);
      const unitCode = text(params, 'attribute[unit_code]', 32);
      const email = text(params, 'email', 200);
      const phone = text(params, 'phone', 32);
      const name = [text(params, 'first_name', 50), text(params, 'last_name', 50)].filter(Boolean).join(' ');
      const accountId = text(params, 'account_id', 64);
      const mediaUrl = text(params, 'media_url', 500);
      if (mediaUrl && !/^https?:\/\/\S+$/.test(mediaUrl))
        throw new Open311Error(400, 'media_url must be an http(s) URL');
      if (phone && !/^\+?[0-9 .()-]{3,24}$/.test(phone))
        throw new Open311Error(400, 'phone must be a phone number');
      if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new Open311Error(400, 'email must be an e-mail address');
      const category = (await this.taxonomy.categoryOn(serviceCode))!;
      try {
        const report = await this.intake.submit(
          {
            channel,
            categoryCode: serviceCode,
            ...(level ? { level: level as ReportLevel } : {}),
            description: text(params, 'description', 4000) ?? category.nameVi,
            location: { ...(address ? { address } : {}), ...(lat !== undefined ? { lat, long: long! } : {}) },
            ...(unitCode ? { unitCode } : {}),
            reporter: {
              ...(name ? { name } : {}),
              ...(phone ? { phone } : {}),
              ...(email ? { email } : {}),
              ...(accountId && UUID.test(accountId) ? { appAccountId: accountId } : {}),
            },
            ...(mediaUrl
              ? {
                  media: [
                    {
                      name: mediaUrl.split('/').pop()!.slice(0, 200) || 'media',
                      type: 'application/octet-stream',
                      url: mediaUrl,
                    },
                  ],
                }
              : {}),
          } as Parameters<ReportIntake['submit']>[0],
          { actor: { subject: `open311:${channel}`, role: 'citizen' }, unitRequired: false },
        );
        const token = await this.tokenOf(report.id);
        return {
          kind: 'list',
          status: 201,
          shape: XML_SHAPES.serviceRequests,
          items: [
            {
              service_request_id: report.id,
              token,
              service_notice:
                report.status === 'duplicate'
                  ? 'Linked to an open report of the same problem: you will get its answer'
                  : 'Received: the responsible unit accepts it within 8 working hours',
              account_id: null,
            },
          ],
        };
      } catch (error) {
        if (error instanceof HttpException) {
          const response = error.getResponse() as {
            detail?: string;
            errors?: { field: string; reason: string }[];
          };
          const detail =
            response.errors?.map((e) => `${e.field} ${e.reason}`).join('; ') ??
            response.detail ??
            error.message;
          throw new Open311Error(error.getStatus() === 422 ? 400 : error.getStatus(), detail);
        }
        throw error;
      }
    });
  }

  @Public()
  @Get(['requests.json', 'requests.xml'])
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.answer(request, reply, formatOfUrl(request), async () => {
      const params = request.query as Params;
      this.jurisdiction(params);
      const ids = text(params, 'service_request_id', 40 * MAX_IDS)
        ?.split(',')
        .map((id) => id.trim());
      if (ids && (ids.length > MAX_IDS || !ids.every((id) => UUID.test(id))))
        throw new Open311Error(
          400,
          `service_request_id must be up to ${MAX_IDS} comma-separated request ids`,
        );
      const codes = text(params, 'service_code', 64 * 20)
        ?.split(',')
        .map((code) => code.trim());
      if (codes && !codes.every((code) => CATEGORY_CODE_PATTERN.test(code)))
        throw new Open311Error(400, 'service_code must be service codes separated by commas');
      const statuses = text(params, 'status', 20)
        ?.split(',')
        .map((status) => status.trim());
      if (statuses && !statuses.every((status) => status === 'open' || status === 'closed'))
        throw new Open311Error(400, 'status must be open, closed or open,closed');
      const end = instant(params, 'end_date') ?? new Date();
      const start = instant(params, 'start_date') ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
      if (start > end) throw new Open311Error(400, 'start_date is after end_date');
      if (!ids && end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS)
        throw new Open311Error(400, `start_date to end_date spans at most ${MAX_RANGE_DAYS} days`);
      const pageSize = number(params, 'page_size', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
      const page = number(params, 'page', 1, 10_000) ?? 1;
      if (!Number.isInteger(pageSize) || !Number.isInteger(page))
        throw new Open311Error(400, 'page and page_size are whole numbers');

      const query = this.intake.reports().createQueryBuilder('r');
      if (ids) query.andWhere('r.id IN (:...ids)', { ids });
      else query.andWhere('r.submitted_at >= :start AND r.submitted_at <= :end', { start, end });
      if (codes) query.andWhere('r.category_code IN (:...codes)', { codes });
      if (statuses && statuses.length === 1)
        query.andWhere(
          statuses[0] === 'closed'
            ? `r.status IN ('closed', 'rejected')`
            : `r.status NOT IN ('closed', 'rejected')`,
        );
      const reports = await query
        .orderBy('r.submitted_at', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .take(pageSize)
        .skip((page - 1) * pageSize)
        .getMany();
      return { kind: 'list', shape: XML_SHAPES.serviceRequests, items: await this.publicRequests(reports) };
    });
  }

  @Public()
  @Get('requests/:file')
  async one(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = splitFormat(file);
    await this.answer(request, reply, parsed?.format, async () => {
      this.jurisdiction(request.query as Params);
      const id = parsed!.name;
      const report = UUID.test(id) ? await this.intake.reports().findOneBy({ id }) : null;
      if (!report) throw new Open311Error(404, `service_request_id ${id.slice(0, 64)} was not found`);
      return { kind: 'list', shape: XML_SHAPES.serviceRequests, items: await this.publicRequests([report]) };
    });
  }

  @Public()
  @Get('tokens/:file')
  async token(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = splitFormat(file);
    await this.answer(request, reply, parsed?.format, async () => {
      this.jurisdiction(request.query as Params);
      const token = parsed!.name;
      const report = UUID.test(token) ? await this.intake.reports().findOneBy({ publicToken: token }) : null;
      if (!report) throw new Open311Error(404, `token ${token.slice(0, 64)} was not found`);
      return {
        kind: 'list',
        shape: XML_SHAPES.serviceRequests,
        items: [{ service_request_id: report.id, token }],
      };
    });
  }

  private jurisdiction(params: Params): void {
    const id = text(params, 'jurisdiction_id', 100);
    if (id !== undefined && id !== JURISDICTION_ID)
      throw new Open311Error(
        404,
        `jurisdiction_id ${id} was not found: this endpoint serves ${JURISDICTION_ID}`,
      );
  }

  private async tokenOf(reportId: string): Promise<string> {
    const report = await this.intake.reports().findOneByOrFail({ id: reportId });
    return report.publicToken;
  }

  private async publicRequests(reports: Report[]): Promise<Open311Object[]> {
    const primaryIds = [
      ...new Set(reports.map((r) => r.duplicateOf).filter((id): id is string => id !== null)),
    ];
    const primaries = primaryIds.length
      ? new Map((await this.intake.reports().findBy({ id: In(primaryIds) })).map((r) => [r.id, r]))
      : new Map<string, Report>();
    const categories = await this.taxonomy.allCategoryVersions();
    return reports.map((report) =>
      publicRequest(
        report,
        categories.find(
          (c) =>
            c.code === report.categoryCode && c.validFrom <= report.submittedAt.toISOString().slice(0, 10),
        ),
        report.duplicateOf ? primaries.get(report.duplicateOf) : null,
      ),
    );
  }

  /** Runs a handler and writes its answer, or its Open311 error, in the requested format. */
  private async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    format: Format | undefined,
    handler: () => Promise<
      | { kind: 'list'; shape: { root: string; item: string }; items: Open311Object[]; status?: number }
      | { kind: 'object'; root: string; value: Open311Object }
    >,
  ): Promise<void> {
    const as: Format = format ?? 'json';
    try {
      if (!format) throw new Open311Error(404, 'add the format to the resource: .json or .xml');
      const result = await handler();
      const body =
        result.kind === 'list'
          ? as === 'json'
            ? JSON.stringify(result.items)
            : xmlList(result.shape, result.items)
          : as === 'json'
            ? JSON.stringify(result.value)
            : xmlObject(result.root, result.value);
      await reply
        .status(result.kind === 'list' ? (result.status ?? 200) : 200)
        .header('content-type', CONTENT_TYPES[as])
        .send(body);
    } catch (error) {
      if (!(error instanceof Open311Error)) {
        request.log.error({ err: error }, 'open311 request failed');
      }
      const status = error instanceof Open311Error ? error.status : HttpStatus.INTERNAL_SERVER_ERROR;
      const description = error instanceof Open311Error ? error.description : 'General service error';
      const errors = [{ code: status, description }];
      await reply
        .status(status)
        .header('content-type', CONTENT_TYPES[as])
        .send(as === 'json' ? JSON.stringify(errors) : xmlList(XML_SHAPES.errors, errors));
    }
  }
}

function formatOfUrl(request: FastifyRequest): Format {
  const path = request.url.split('?')[0]!;
  return path.endsWith('.xml') ? 'xml' : 'json';
}
