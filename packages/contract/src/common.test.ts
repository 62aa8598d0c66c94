import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { patchOf } from './common';
import { UpdateMacroBody, UpdateSlaPolicyBody } from './sla';

describe('patchOf', () => {
  it('leaves out what a PATCH leaves out, instead of filling in defaults', () => {
    const Create = z.object({
      name: z.string(),
      active: z.boolean().default(true),
      note: z.string().default(''),
    });
    expect(patchOf(Create).parse({ name: 'a' })).toEqual({ name: 'a' });
    expect(patchOf(Create).parse({ active: false })).toEqual({ active: false });
    expect(patchOf(Create).safeParse({ active: 'yes' }).success).toBe(false);
  });

  it('keeps a renamed macro’s texts and a renamed policy’s settings', () => {
    expect(UpdateMacroBody.parse({ name: 'Refund' })).toEqual({ name: 'Refund' });
    expect(UpdateSlaPolicyBody.parse({ name: 'Gold' })).toEqual({ name: 'Gold' });
  });
});
