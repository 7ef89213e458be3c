// Shared by the consumers of other domains' events: reading the envelope's time and saying
// what was wrong with a malformed event in a log line.
import type { DomainEvent } from '@grocery/platform';
import type { z } from 'zod';

/** "data.rating: Number must be less than or equal to 5" — what a log reader needs. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `data${i.path.map((p) => `.${p}`).join('')}: ${i.message}`).join('; ');

/** The envelope's time, or null when it is not a timestamp. */
export const eventTime = (event: DomainEvent): Date | null => {
  const at = typeof event.time === 'string' ? new Date(event.time) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
};
