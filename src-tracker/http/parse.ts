/** zod at the HTTP edge: a bad body or query is a 400 naming the first bad field. */
import type { z } from 'zod';
import { fromZodError } from '../../src-shared/errors.ts';
import { invalid } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw invalid(fromZodError(parsed.error));
  return parsed.data;
}
