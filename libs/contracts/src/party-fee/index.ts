export * from './topic';
export * from './enums';
export * from './party-fee-assessed.v1';
export * from './party-fee-paid.v1';
export * from './party-fee-payment-reversed.v1';
export * from './party-member-registered.v1';
export * from './party-fee-event-union';
export * from './party-fee-item-recorded.v1';
