export * from './audit-chain';
export * from './audit-chain-linker';
export * from './audit-record.entity';
export * from './audit-trail';
export * from './verify-audit-chain-db';
export * from './audit-checkpoint';
