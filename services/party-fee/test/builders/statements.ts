/** A camt.053 (BankToCustomerStatement) of one account with the given entries, as a bank sends it. */
export function camt053(
  account: string,
  entries: { ref: string; amount: number; day: string; text: string; credit?: boolean }[],
): string {
  const ntry = entries
    .map(
      (
        e,
      ) => `<Ntry><NtryRef>${e.ref}</NtryRef><Amt Ccy="VND">${e.amount}</Amt><CdtDbtInd>${e.credit === false ? 'DBIT' : 'CRDT'}</CdtDbtInd>
      <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.day}</Dt></BookgDt><AcctSvcrRef>${e.ref}</AcctSvcrRef>
      <NtryDtls><TxDtls><RmtInf><Ustrd>${e.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-02-11T08:00:00+07:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT-2026-02-10</Id><Acct><Id><Othr><Id>${account}</Id></Othr></Id><Ccy>VND</Ccy></Acct>
${ntry}
</Stmt></BkToCstmrStmt></Document>`;
}
