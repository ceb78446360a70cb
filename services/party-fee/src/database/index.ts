import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { PartyFeeArrearsFlag } from '../arrears/arrears.entities';
import { PartyFeeAdjustment, PartyFeeAssessment } from '../assessments/assessment.entities';
import { PartyCell, PartyCellVersion, PartyCommittee } from '../cells/cell.entities';
import {
  PartyFeeExemption,
  PartyMember,
  PartyMemberBasis,
  PartyMemberHistoryEntry,
} from '../members/member.entities';
import {
  PartyFeeAllocation,
  PartyFeeArrearsMove,
  PartyFeePayment,
  PartyFeePaymentRequest,
  PartyFeeReversal,
} from '../payments/payment.entities';
import { PartyFeeRemittance, PartyFeeRemittanceConfirmation } from '../remittances/remittance.entities';
import {
  PartyFeeLineResolution,
  PartyFeeStatement,
  PartyFeeStatementLine,
} from '../statements/statement.entities';
import { CreatePartyFeeLedger1796100000000 } from './migrations/1796100000000-create-party-fee-ledger';

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [
  PartyCommittee,
  PartyCell,
  PartyCellVersion,
  PartyMember,
  PartyMemberHistoryEntry,
  PartyMemberBasis,
  PartyFeeExemption,
  PartyFeeAssessment,
  PartyFeeAdjustment,
  PartyFeePaymentRequest,
  PartyFeePayment,
  PartyFeeReversal,
  PartyFeeAllocation,
  PartyFeeArrearsMove,
  PartyFeeStatement,
  PartyFeeStatementLine,
  PartyFeeLineResolution,
  PartyFeeArrearsFlag,
  PartyFeeRemittance,
  PartyFeeRemittanceConfirmation,
  OutboxMessage,
  InboxEntry,
];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const PARTY_FEE_MIGRATIONS = [...messagingMigrations, CreatePartyFeeLedger1796100000000];
