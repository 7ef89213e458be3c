// One JSON round trip to a courier's API, shared by the adapters. It draws the line the
// resilience wrapper and the fallback rely on: a courier that cannot be reached, times out, is
// rate-limiting us (429) or answers 5xx is DeliveryProviderUnavailable (try another courier);
// any other answer — including a 4xx refusal — is returned for the adapter to read, because
// only the adapter knows what that courier's refusals mean.
import { DeliveryProviderUnavailable, type DeliveryProviderName } from './delivery-provider';

export interface JsonRequest {
  method: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: unknown;
  /** One HTTP attempt; the wrapper's per-call timeout bounds the whole call. */
  timeoutMs: number;
}

export interface JsonAnswer {
  status: number;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
}

export async function requestJson(provider: DeliveryProviderName, url: string, req: JsonRequest): Promise<JsonAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: {
        accept: 'application/json',
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...req.headers,
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    throw unavailable(provider, `${req.method} ${pathOf(url)} unreachable: ${(err as Error).message}`, err);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500 || res.status === 429)
    throw unavailable(provider, `${req.method} ${pathOf(url)} answered HTTP ${res.status}`);
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  return { status: res.status, body };
}

function unavailable(provider: DeliveryProviderName, message: string, cause?: unknown): DeliveryProviderUnavailable {
  const err = new DeliveryProviderUnavailable(provider, `${provider} ${message}`);
  if (cause !== undefined) (err as { cause?: unknown }).cause = cause;
  return err;
}

/** The path only: query strings may carry tokens and never go into messages. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(bad url)';
  }
}

/** A field of an untyped JSON object, or undefined. */
export function field(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
}
