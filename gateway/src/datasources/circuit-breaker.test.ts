import { CircuitBreaker } from './circuit-breaker';

function breaker(failureThreshold = 3, coolDownMs = 1_000) {
  let now = 1_000_000;
  const b = new CircuitBreaker({ failureThreshold, coolDownMs, now: () => now });
  return { b, advance: (ms: number) => (now += ms) };
}

/** One call through the breaker: whether it went out. */
function call(b: CircuitBreaker, outcome: 'ok' | 'fail'): boolean {
  if (!b.tryAcquire()) return false;
  if (outcome === 'ok') b.recordSuccess();
  else b.recordFailure();
  return true;
}

describe('circuit breaker', () => {
  it('stays closed below the threshold of consecutive failures', () => {
    const { b } = breaker(3);
    expect(call(b, 'fail')).toBe(true);
    expect(call(b, 'fail')).toBe(true);
    expect(b.state).toBe('closed');
    expect(b.consecutiveFailures).toBe(2);
  });

  it('counts only consecutive failures: a success starts the count again', () => {
    const { b } = breaker(3);
    call(b, 'fail');
    call(b, 'fail');
    call(b, 'ok');
    call(b, 'fail');
    call(b, 'fail');
    expect(b.state).toBe('closed');
  });

  it('opens at the threshold and then refuses every call until the cool-down is over', () => {
    const { b, advance } = breaker(3, 1_000);
    for (let i = 0; i < 3; i++) call(b, 'fail');
    expect(b.state).toBe('open');
    expect(b.retryAt).toBe(1_000_000 + 1_000);
    expect(b.tryAcquire()).toBe(false);
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    expect(b.state).toBe('open');
  });

  it('lets exactly one probe through once the cool-down is over (half-open)', () => {
    const { b, advance } = breaker(1, 1_000);
    call(b, 'fail');
    advance(1_000);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(b.tryAcquire()).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const { b, advance } = breaker(1, 1_000);
    call(b, 'fail');
    advance(1_000);
    expect(call(b, 'ok')).toBe(true);
    expect(b.state).toBe('closed');
    expect(b.consecutiveFailures).toBe(0);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
  });

  it('opens for another cool-down when the probe fails', () => {
    const { b, advance } = breaker(2, 1_000);
    call(b, 'fail');
    call(b, 'fail');
    advance(1_500);
    expect(call(b, 'fail')).toBe(true);
    expect(b.state).toBe('open');
    expect(b.retryAt).toBe(1_000_000 + 1_500 + 1_000);
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.tryAcquire()).toBe(true);
  });

  it('does not restart the cool-down for a call that was sent before it opened and failed late', () => {
    const { b, advance } = breaker(2, 1_000);
    expect(b.tryAcquire()).toBe(true); // slow call, still out
    call(b, 'fail');
    call(b, 'fail');
    advance(600);
    b.recordFailure(); // the slow call fails now
    advance(400);
    expect(b.tryAcquire()).toBe(true);
  });

  it('refuses a threshold below one', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, coolDownMs: 1 })).toThrow();
  });
});
