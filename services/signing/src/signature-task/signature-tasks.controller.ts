import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type AuthenticatedUser,
  applyUnitScope,
  canAccessUnit,
  CurrentUser,
  Roles,
  ServiceAction,
  unitScopeWhere,
} from '@backbone/platform';
import { Repository } from 'typeorm';
import { SigningSession } from '../signing-session/signing-session.entity';
import { sessionView } from '../signing-session/signing-session.view';
import { SignatureTask } from './signature-task.entity';
import { SignatureTaskQuery } from './signature-tasks.dto';

function taskView(task: SignatureTask, now: Date) {
  return {
    id: task.id,
    unitCode: task.unitCode,
    dossierId: task.dossierId,
    dossierCode: task.dossierCode,
    procedureCode: task.procedureCode,
    dueAt: task.dueAt.toISOString(),
    overdue: task.status === 'open' && task.dueAt.getTime() < now.getTime(),
    documentSha256: task.documentSha256,
    status: task.status,
    requestedAt: task.requestedAt.toISOString(),
    signatureId: task.signatureId,
    closedAt: task.closedAt ? task.closedAt.toISOString() : null,
  };
}

const encodeCursor = (task: SignatureTask) =>
  Buffer.from(`${task.requestedAt.toISOString()}|${task.id}`).toString('base64url');

function decodeCursor(cursor: string): { requestedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const requestedAt = new Date(at ?? '');
  if (Number.isNaN(requestedAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw new BadRequestException('cursor: must be a cursor from a previous page');
  }
  return { requestedAt, id: id! };
}

/**
 * The signature queue of a unit: its tasks oldest first, with the dossier code and due date (the
 * document itself is read from the dossier service: GET /dossiers/:dossierId/result-document).
 */
@ApiTags('signature tasks')
@Controller('signature-tasks')
export class SignatureTasksController {
  constructor(
    @InjectRepository(SignatureTask) private readonly tasks: Repository<SignatureTask>,
    @InjectRepository(SigningSession) private readonly sessions: Repository<SigningSession>,
  ) {}

  @Get()
  @Roles('officer', 'unit-head', 'signer', 'city-admin', 'auditor')
  @ServiceAction('signing.task.read')
  async queue(@Query() query: SignatureTaskQuery, @CurrentUser() user: AuthenticatedUser) {
    if (query.unit && !canAccessUnit(user, query.unit)) {
      throw new NotFoundException(`No signature tasks for unit ${query.unit}`);
    }
    const limit = query.limit ?? 50;
    const builder = this.tasks
      .createQueryBuilder('t')
      .where('t.status = :status', { status: query.status ?? 'open' })
      .orderBy('t.requestedAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit + 1);
    if (query.unit) builder.andWhere('t.unit_code = :unit', { unit: query.unit });
    if (query.dossierId) builder.andWhere('t.dossier_id = :dossierId', { dossierId: query.dossierId });
    applyUnitScope(builder, user, 't.unit_code');
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      builder.andWhere('(t.requested_at, t.id) > (:at, :id)', { at: after.requestedAt, id: after.id });
    }
    const rows = await builder.getMany();
    const now = new Date();
    const page = rows.slice(0, limit);
    return {
      items: page.map((task) => taskView(task, now)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    };
  }

  @Get(':id')
  @Roles('officer', 'unit-head', 'signer', 'city-admin', 'auditor')
  @ServiceAction('signing.task.read')
  async find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    const task = await this.tasks.findOne({
      where: { id, ...unitScopeWhere<SignatureTask>(user, 'unitCode', 'read') },
    });
    if (!task) throw new NotFoundException(`No signature task ${id}`);
    const sessions = await this.sessions.find({
      where: { taskId: id },
      order: { requestedAt: 'ASC' },
      take: 100,
    });
    return { ...taskView(task, new Date()), sessions: sessions.map(sessionView) };
  }
}
