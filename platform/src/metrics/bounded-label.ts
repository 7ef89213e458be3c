// Label values that come from clients (GraphQL operation names): each is cut to 64 characters,
// and only the first `max` distinct ones get a series of their own; the rest share "other". A
// client sending a fresh name per request cannot grow the series without bound.
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max = 100) {}

  of(value: string): string {
    if (!NAME.test(value)) return 'other';
    const cut = value.slice(0, 64);
    if (this.seen.has(cut)) return cut;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(cut);
    return cut;
  }
}
