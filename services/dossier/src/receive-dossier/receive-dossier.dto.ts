import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import {
  ApplicantField,
  ApplicantDto,
  AttachmentsField,
  AttachmentDto,
  ProcedureCodeField,
  UnitCodeField,
} from '../request-fields/applicant.dto';

class IntakeBaseDto {
  @UnitCodeField()
  unitCode!: string;

  @ProcedureCodeField()
  procedureCode!: string;

  @ApplicantField()
  applicant!: ApplicantDto;

  @AttachmentsField()
  attachments?: AttachmentDto[];
}

/** Intake at the desk by an officer: in person, by post, or through a public-service agent. */
export class ReceiveDossierDto extends IntakeBaseDto {
  @IsIn(['direct', 'postal', 'agent'])
  channel!: 'direct' | 'postal' | 'agent';

  /** Whether the documents were scanned at the desk (KPI: digitisation rate). */
  @IsOptional()
  @IsBoolean()
  digitised?: boolean;
}

/** A submission relayed by the national public-service portal; it awaits acceptance by the unit. */
export class SubmitOnlineDossierDto extends IntakeBaseDto {}
