// A circuit breaker for one remote subgraph. Closed: calls go out, consecutive failures are
// counted. Open (after `failureThreshold` of them): calls fail at once, without touching the
// network, for `coolDownMs`. Then half-open: one probe call goes out; its success closes the
// breaker, its failure opens it for another cool-down. Pure state, no timers: time is read
// from `now` when a call asks to go out.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeOut = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (options.failureThreshold < 1) throw new Error('failureThreshold must be at least 1');
    this.now = options.now ?? Date.now;
  }

  /** The state a call would meet now (an open breaker whose cool-down is over reads half-open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.coolDownOver()) return 'half-open';
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** While open: when the next probe may go out (epoch ms). */
  get retryAt(): number | undefined {
    return this.current === 'open' ? this.openedAt + this.options.coolDownMs : undefined;
  }

  /**
   * Asks to send one call. True: send it, then report how it went (recordSuccess/recordFailure,
   * exactly once). False: fail it now. Half-open lets one probe out at a time.
   */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (!this.coolDownOver()) return false;
      this.current = 'half-open';
      this.probeOut = false;
    }
    if (this.probeOut) return false;
    this.probeOut = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probeOut = false;
    this.current = 'closed';
  }

  recordFailure(): void {
    this.failures++;
    if (this.current === 'half-open') {
      this.open();
    } else if (this.current === 'closed' && this.failures >= this.options.failureThreshold) {
      this.open();
    }
    // Already open: a call sent before it opened failed late; the cool-down is not restarted.
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.probeOut = false;
  }

  private coolDownOver(): boolean {
    return this.now() - this.openedAt >= this.options.coolDownMs;
  }
}
