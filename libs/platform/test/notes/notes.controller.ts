import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { uuidv7 } from '@backbone/contracts';
import { IsString, Length, Matches } from 'class-validator';
import { DataSource, Repository } from 'typeorm';
import {
  assertCanActForUnit,
  AuditTrail,
  type AuthenticatedUser,
  BlindIndex,
  CurrentUser,
  eventTrace,
  FieldCipher,
  findOneInUnitScope,
  maskNationalId,
  Public,
  Roles,
  Throttle,
  unitScopeWhere,
} from '../../src';
import { Note } from './note.entity';

export class CreateNoteDto {
  @Matches(/^\d{5}$/, { message: 'must be a 5-digit unit code' })
  unitCode!: string;

  @IsString()
  @Length(1, 200)
  title!: string;

  @Matches(/^\d{12}$/, { message: 'must be a 12-digit national id' })
  nationalId!: string;
}

export class SearchNotesQuery {
  @Matches(/^\d{12}$/, { message: 'must be a 12-digit national id' })
  nationalId!: string;
}

const NATIONAL_ID = 'test_notes.national_id';

@Controller('notes')
export class NotesController {
  constructor(
    @InjectRepository(Note) private readonly notes: Repository<Note>,
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
  ) {}

  @Post()
  @Roles('officer', 'unit-head', 'city-admin')
  async createNote(@Body() input: CreateNoteDto, @CurrentUser() user: AuthenticatedUser) {
    assertCanActForUnit(user, input.unitCode);
    const note = await this.dataSource.transaction(async (manager) => {
      const created = manager.create(Note, {
        id: uuidv7(),
        unitCode: input.unitCode,
        title: input.title,
        nationalIdCipher: this.cipher.encrypt(input.nationalId, NATIONAL_ID),
        nationalIdIndex: this.blindIndex.compute(input.nationalId, NATIONAL_ID),
        createdBy: user.subject,
      });
      await manager.insert(Note, created);
      await this.auditTrail.record(manager, {
        action: 'note.create',
        targetType: 'note',
        targetId: created.id,
        unitCode: created.unitCode,
      });
      return created;
    });
    return this.view(note);
  }

  @Get()
  async listNotes(@CurrentUser() user: AuthenticatedUser) {
    const notes = await this.notes.find({ where: unitScopeWhere<Note>(user), order: { id: 'ASC' } });
    return notes.map((note) => this.view(note));
  }

  @Get('search')
  @HttpCode(200)
  async searchNotes(@Query() query: SearchNotesQuery, @CurrentUser() user: AuthenticatedUser) {
    const notes = await this.notes.find({
      where: {
        nationalIdIndex: this.blindIndex.compute(query.nationalId, NATIONAL_ID),
        ...unitScopeWhere<Note>(user),
      },
    });
    return notes.map((note) => this.view(note));
  }

  @Throttle({ default: { limit: 2, ttl: 60_000 } })
  @Get('limited')
  limited() {
    return { ok: true };
  }

  @Public()
  @Get('trace')
  trace() {
    return eventTrace();
  }

  @Get(':id')
  async getNote(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.view(await findOneInUnitScope(this.notes, user, { id }));
  }

  private view(note: Note) {
    return {
      id: note.id,
      unitCode: note.unitCode,
      title: note.title,
      nationalId: maskNationalId(this.cipher.decrypt(note.nationalIdCipher, NATIONAL_ID)),
    };
  }
}
