// What each notification says, in English and Vietnamese: a subject and a text per kind; the
// email wraps the text in a greeting and a signature, the SMS is the text alone. Amounts are VND.
import type { Locale } from '@grocery/platform';

export const NOTIFICATION_KINDS = [
  'ORDER_CONFIRMED',
  'ORDER_READY_FOR_PICKUP',
  'ORDER_OUT_FOR_DELIVERY',
  'ORDER_COMPLETED',
  'ORDER_CANCELLED',
  'ORDER_EXPIRED',
  'PAYMENT_FAILED',
  'PAYMENT_REFUNDED',
  'SUBSTITUTION_PROPOSED',
  'RETURN_REQUESTED',
  'RETURN_RECEIVED',
  'RETURN_REFUNDED',
  'SHIPMENT_COURIER_ASSIGNED',
  'SHIPMENT_DELIVERED',
  'SHIPMENT_FAILED',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a template may mention; `orderNumber` is the number as shown ("GRC-123"). */
export interface TemplateValues {
  orderNumber: string;
  total?: number;
  amount?: number;
  /** Why an order was cancelled, as the event says ("payment.failed", "order.cancelled", …). */
  reason?: string;
  partial?: boolean;
  sku?: string;
  quantity?: number;
  courierName?: string | null;
  trackingUrl?: string | null;
}

export interface RenderedMessage {
  subject: string;
  emailBody: string;
  sms: string;
}

type Text = { subject: string; text: string };
type Template = Record<Locale, (v: TemplateValues) => Text>;

export function formatVnd(amount: number, locale: Locale): string {
  return locale === 'vi'
    ? `${new Intl.NumberFormat('vi-VN').format(amount)} ₫`
    : `VND ${new Intl.NumberFormat('en-US').format(amount)}`;
}

const money = (n: number | undefined, locale: Locale) => (n === undefined ? '' : formatVnd(n, locale));
const paymentCancelled = (reason?: string) => !!reason && /payment/.test(reason);

const TEMPLATES: Record<NotificationKind, Template> = {
  ORDER_CONFIRMED: {
    en: (v) => ({
      subject: `Your order ${v.orderNumber} is confirmed`,
      text: `Your order ${v.orderNumber} is confirmed. Total: ${money(v.total, 'en')}.`,
    }),
    vi: (v) => ({
      subject: `Đơn hàng ${v.orderNumber} của bạn đã được xác nhận`,
      text: `Đơn hàng ${v.orderNumber} của bạn đã được xác nhận. Tổng cộng: ${money(v.total, 'vi')}.`,
    }),
  },
  ORDER_READY_FOR_PICKUP: {
    en: (v) => ({
      subject: `Your order ${v.orderNumber} is ready for pickup`,
      text: `Your order ${v.orderNumber} is ready for pickup at the store.`,
    }),
    vi: (v) => ({
      subject: `Đơn hàng ${v.orderNumber} đã sẵn sàng để nhận`,
      text: `Đơn hàng ${v.orderNumber} của bạn đã sẵn sàng để nhận tại cửa hàng.`,
    }),
  },
  ORDER_OUT_FOR_DELIVERY: {
    en: (v) => ({
      subject: `Your order ${v.orderNumber} is on its way`,
      text: `Your order ${v.orderNumber} is out for delivery.`,
    }),
    vi: (v) => ({
      subject: `Đơn hàng ${v.orderNumber} đang được giao`,
      text: `Đơn hàng ${v.orderNumber} của bạn đang được giao đến bạn.`,
    }),
  },
  ORDER_COMPLETED: {
    en: (v) => ({
      subject: `Your order ${v.orderNumber} is complete`,
      text: `Your order ${v.orderNumber} is complete. Thank you for shopping with us!`,
    }),
    vi: (v) => ({
      subject: `Đơn hàng ${v.orderNumber} đã hoàn tất`,
      text: `Đơn hàng ${v.orderNumber} của bạn đã hoàn tất. Cảm ơn bạn đã mua sắm cùng chúng tôi!`,
    }),
  },
  ORDER_CANCELLED: {
    en: (v) => ({
      subject: `Your order ${v.orderNumber} has been cancelled`,
      text:
        `Your order ${v.orderNumber} has been cancelled.` +
        (paymentCancelled(v.reason) ? ' The payment did not go through.' : ''),
    }),
    vi: (v) => ({
      subject: `Đơn hàng ${v.orderNumber} đã bị hủy`,
      text:
        `Đơn hàng ${v.orderNumber} của bạn đã bị hủy.` +
        (paymentCancelled(v.reason) ? ' Thanh toán không thành công.' : ''),
    }),
  },
  ORDER_EXPIRED: {
    en: (v) => ({
      subject: `Your order ${v.orderNumber} has expired`,
      text: `Your order ${v.orderNumber} expired because it was not paid in time.`,
    }),
    vi: (v) => ({
      subject: `Đơn hàng ${v.orderNumber} đã hết hạn`,
      text: `Đơn hàng ${v.orderNumber} của bạn đã hết hạn vì chưa được thanh toán kịp thời.`,
    }),
  },
  PAYMENT_FAILED: {
    en: (v) => ({
      subject: `Payment for order ${v.orderNumber} failed`,
      text: `The payment for order ${v.orderNumber} failed. Please try again or choose another payment method.`,
    }),
    vi: (v) => ({
      subject: `Thanh toán đơn hàng ${v.orderNumber} không thành công`,
      text: `Thanh toán cho đơn hàng ${v.orderNumber} không thành công. Vui lòng thử lại hoặc chọn phương thức thanh toán khác.`,
    }),
  },
  PAYMENT_REFUNDED: {
    en: (v) => ({
      subject: `Refund for order ${v.orderNumber}`,
      text: `The payment for order ${v.orderNumber} has been ${v.partial ? 'partly refunded' : 'refunded'}.`,
    }),
    vi: (v) => ({
      subject: `Hoàn tiền đơn hàng ${v.orderNumber}`,
      text: `Khoản thanh toán cho đơn hàng ${v.orderNumber} đã được hoàn tiền${v.partial ? ' một phần' : ''}.`,
    }),
  },
  SUBSTITUTION_PROPOSED: {
    en: (v) => ({
      subject: `A substitute for an item in order ${v.orderNumber}`,
      text: `An item in your order ${v.orderNumber} is out of stock. We propose a substitute (SKU ${v.sku}, quantity ${v.quantity}). Please open the app to approve or reject it.`,
    }),
    vi: (v) => ({
      subject: `Sản phẩm thay thế cho đơn hàng ${v.orderNumber}`,
      text: `Một sản phẩm trong đơn hàng ${v.orderNumber} đã hết hàng. Chúng tôi đề xuất sản phẩm thay thế (mã ${v.sku}, số lượng ${v.quantity}). Vui lòng mở ứng dụng để đồng ý hoặc từ chối.`,
    }),
  },
  RETURN_REQUESTED: {
    en: (v) => ({
      subject: `Return request for order ${v.orderNumber}`,
      text: `We have received your return request for order ${v.orderNumber}.`,
    }),
    vi: (v) => ({
      subject: `Yêu cầu trả hàng cho đơn hàng ${v.orderNumber}`,
      text: `Chúng tôi đã nhận được yêu cầu trả hàng cho đơn hàng ${v.orderNumber}.`,
    }),
  },
  RETURN_RECEIVED: {
    en: (v) => ({
      subject: `We received your return for order ${v.orderNumber}`,
      text: `We have received the items you returned from order ${v.orderNumber}.`,
    }),
    vi: (v) => ({
      subject: `Đã nhận hàng trả lại của đơn hàng ${v.orderNumber}`,
      text: `Chúng tôi đã nhận được hàng bạn trả lại từ đơn hàng ${v.orderNumber}.`,
    }),
  },
  RETURN_REFUNDED: {
    en: (v) => ({
      subject: `Refund for your return from order ${v.orderNumber}`,
      text: `We have refunded ${money(v.amount, 'en')} for the items returned from order ${v.orderNumber}.`,
    }),
    vi: (v) => ({
      subject: `Hoàn tiền hàng trả lại của đơn hàng ${v.orderNumber}`,
      text: `Chúng tôi đã hoàn ${money(v.amount, 'vi')} cho hàng trả lại từ đơn hàng ${v.orderNumber}.`,
    }),
  },
  SHIPMENT_COURIER_ASSIGNED: {
    en: (v) => ({
      subject: `A courier is on the way with order ${v.orderNumber}`,
      text:
        `A courier${v.courierName ? ` (${v.courierName})` : ''} has been assigned to your order ${v.orderNumber}.` +
        (v.trackingUrl ? ` Track it: ${v.trackingUrl}` : ''),
    }),
    vi: (v) => ({
      subject: `Tài xế đã nhận giao đơn hàng ${v.orderNumber}`,
      text:
        `Tài xế${v.courierName ? ` ${v.courierName}` : ''} đã nhận giao đơn hàng ${v.orderNumber} của bạn.` +
        (v.trackingUrl ? ` Theo dõi đơn hàng: ${v.trackingUrl}` : ''),
    }),
  },
  SHIPMENT_DELIVERED: {
    en: (v) => ({
      subject: `Your order ${v.orderNumber} has been delivered`,
      text: `Your order ${v.orderNumber} has been delivered.`,
    }),
    vi: (v) => ({
      subject: `Đơn hàng ${v.orderNumber} đã được giao`,
      text: `Đơn hàng ${v.orderNumber} của bạn đã được giao thành công.`,
    }),
  },
  SHIPMENT_FAILED: {
    en: (v) => ({
      subject: `We could not deliver order ${v.orderNumber}`,
      text: `We could not deliver your order ${v.orderNumber}. We will contact you to arrange another delivery.`,
    }),
    vi: (v) => ({
      subject: `Giao đơn hàng ${v.orderNumber} không thành công`,
      text: `Giao đơn hàng ${v.orderNumber} không thành công. Chúng tôi sẽ liên hệ với bạn để sắp xếp lại.`,
    }),
  },
};

const GREETING: Record<Locale, string> = { en: 'Hello,', vi: 'Xin chào,' };
const SIGNATURE: Record<Locale, string> = {
  en: 'The Grocery team',
  vi: 'Đội ngũ Grocery',
};

export function render(kind: NotificationKind, locale: Locale, values: TemplateValues): RenderedMessage {
  const { subject, text } = TEMPLATES[kind][locale](values);
  return { subject, emailBody: `${GREETING[locale]}\n\n${text}\n\n${SIGNATURE[locale]}`, sms: text };
}

/** How an order number is shown to customers in notifications. */
export const shownOrderNumber = (number: string) => `GRC-${number}`;
