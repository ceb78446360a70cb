import { Injectable } from '@nestjs/common';
import { PartyFeeConfig } from '../config';
import { type FeeRule, feeRuleTable } from './fee-rules';

/** The rule table with this deployment's configuration (the 01-QĐ/TW split). */
@Injectable()
export class FeeRuleTable {
  readonly rules: readonly FeeRule[];

  constructor(config: PartyFeeConfig) {
    this.rules = feeRuleTable({ committeeShare01BasisPoints: config.PARTY_FEE_01_COMMITTEE_SHARE_BP });
  }
}
