import { z } from 'zod';

export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()),
});
export type Health = z.infer<typeof Health>;
