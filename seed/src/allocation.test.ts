import { allocate } from './allocation';

describe('allocate', () => {
  it('splits exactly by weight', () => {
    expect(
      allocate(10, [
        { weight: 1, capacity: 100 },
        { weight: 1, capacity: 100 },
        { weight: 3, capacity: 100 },
      ]),
    ).toEqual([2, 2, 6]);
  });

  it('gives what a full bucket cannot hold to the others', () => {
    const quotas = allocate(100, [
      { weight: 8, capacity: 10 },
      { weight: 1, capacity: 100 },
      { weight: 1, capacity: 100 },
    ]);
    expect(quotas).toEqual([10, 45, 45]);
  });

  it('throws when the buckets cannot hold the total', () => {
    expect(() =>
      allocate(11, [
        { weight: 1, capacity: 5 },
        { weight: 1, capacity: 5 },
      ]),
    ).toThrow(RangeError);
  });
});
