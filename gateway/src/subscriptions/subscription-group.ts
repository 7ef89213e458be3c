// Client subscriptions that ask for the same thing share one upstream stream and one
// resolution per event: a stock change watched by 1,000 shoppers runs the federated selection
// once, and every subscriber's copy is handed over as soon as that one result is ready.
import { ErrorCode } from '@grocery/platform';
import { GraphQLError, type ExecutionResult } from 'graphql';

/** What a group needs from the world: its upstream events, and how one event becomes a result. */
export interface GroupSource<E> {
  /** Opens the upstream: an iterator of events, or a result that refuses the subscription. */
  open(): Promise<AsyncIterator<E> | ExecutionResult>;
  /** Resolves one event into the subscribers' result (once for the whole group). */
  resolve(event: E): Promise<ExecutionResult>;
  /** Releases what `open` took (upstream sockets); the upstream iterator is returned before. */
  close(): Promise<void>;
}

/** One subscriber's view of a group: an async iterator with its own bounded queue. */
class Member implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting?: (step: IteratorResult<ExecutionResult>) => void;
  private ended = false;

  constructor(
    private readonly maxQueued: number,
    private readonly leave: (member: Member) => void,
  ) {}

  /** Hands over one result; a subscriber this far behind is ended instead of buffered without bound. */
  push(result: ExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ done: false, value: result });
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.queue.length = 0;
      this.queue.push({
        errors: [
          new GraphQLError(`More than ${this.maxQueued} events waited unread; subscribe again.`, {
            extensions: { code: ErrorCode.SLOW_SUBSCRIBER, limit: 'queuedEvents', max: this.maxQueued },
          }),
        ],
      });
      this.finish();
      return;
    }
    this.queue.push(result);
  }

  /** No more events: after what is queued, the subscription completes. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.leave(this);
    if (this.waiting && this.queue.length === 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ done: true, value: undefined });
    }
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve({ done: false, value: queued });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue.length = 0;
    this.finish();
    return { done: true, value: undefined };
  }

  async throw(err?: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * The subscribers of one (selection, variables, language, caller scope). Opens the upstream
 * when created, resolves each event once, and closes the upstream when the last one leaves.
 */
export class SubscriptionGroup<E> {
  private readonly members = new Set<Member>();
  private upstream?: AsyncIterator<E>;
  /** Set when the upstream refused: every member joining gets it instead of events. */
  private refusal?: ExecutionResult;
  private readonly ready: Promise<void>;
  private closed = false;

  constructor(
    private readonly source: GroupSource<E>,
    private readonly options: { maxQueuedEvents: number; onClosed: (group: SubscriptionGroup<E>) => void },
  ) {
    this.ready = this.start();
  }

  get size(): number {
    return this.members.size;
  }

  /** Whether a new subscriber may still join (a closing group is replaced by a new one). */
  get open(): boolean {
    return !this.closed;
  }

  /** A new subscriber: its iterator, or the refusal the upstream answered. */
  async join(): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const member = new Member(this.options.maxQueuedEvents, (m) => this.leave(m));
    this.members.add(member);
    await this.ready;
    if (this.refusal) {
      this.members.delete(member);
      return this.refusal;
    }
    return member;
  }

  private async start(): Promise<void> {
    let opened: AsyncIterator<E> | ExecutionResult;
    try {
      opened = await this.source.open();
    } catch (err) {
      opened = { errors: [err instanceof GraphQLError ? err : new GraphQLError('The subscription could not start.')] };
    }
    if (!isIterator(opened)) {
      this.refusal = opened;
      void this.close();
      return;
    }
    this.upstream = opened;
    void this.pump(opened);
  }

  private async pump(upstream: AsyncIterator<E>): Promise<void> {
    for (;;) {
      let step: IteratorResult<E>;
      try {
        step = await upstream.next();
      } catch (err) {
        // graphql-ws clients reject with the subgraph's error list (or a close event).
        const errors = Array.isArray(err)
          ? err.map(toGraphQLError)
          : [new GraphQLError('The subgraph subscription ended unexpectedly.')];
        this.broadcast({ errors });
        break;
      }
      if (step.done || this.closed) break;
      let result: ExecutionResult;
      try {
        result = await this.source.resolve(step.value);
      } catch {
        result = { errors: [new GraphQLError('Internal server error')] };
      }
      if (this.closed) break;
      this.broadcast(result);
    }
    for (const member of [...this.members]) member.finish();
    await this.close();
  }

  private broadcast(result: ExecutionResult): void {
    for (const member of [...this.members]) member.push(result);
  }

  private leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0 && this.upstream) void this.close();
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.onClosed(this);
    try {
      await this.upstream?.return?.();
    } finally {
      await this.source.close();
    }
  }
}

function isIterator<E>(value: unknown): value is AsyncIterator<E> {
  return typeof (value as AsyncIterator<E> | undefined)?.next === 'function';
}

function toGraphQLError(e: { message?: string; extensions?: Record<string, unknown> }): GraphQLError {
  return e instanceof GraphQLError ? e : new GraphQLError(e.message ?? 'Subgraph error', { extensions: e.extensions });
}
