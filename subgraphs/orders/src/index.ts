// The orders subgraph: carts, checkout, payments, order lifecycle, picking, returns.
export * from './payments/payment-provider';
