// What stock counts for /metrics: reservation attempts by who asked (a customer's reserveStock,
// or checkout's all-or-nothing order reservation) and how they ended. An order reservation
// retried with the same order id is counted again.
import { counter } from '@grocery/platform';

const reservations = counter({
  name: 'stock_reservations_total',
  help: 'Stock reservation attempts, by kind (customer, order) and result (reserved, out_of_stock, limit_reached, short).',
  labelNames: ['kind', 'result'],
});

export function countReservation(kind: 'customer' | 'order', result: string): void {
  reservations.inc({ kind, result });
}
