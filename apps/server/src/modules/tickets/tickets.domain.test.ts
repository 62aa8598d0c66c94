import { describe, expect, it } from 'vitest';
import {
  detectLanguage,
  extractMentions,
  initialStatusKey,
  normalizeTags,
  planUpdate,
  statusAfterAgentReply,
  type TicketState,
} from './tickets.domain';

const now = new Date('2026-11-24T10:00:00Z');
const ticket: TicketState = {
  subject: 'Rechnung doppelt',
  statusKey: 'new',
  statusCategory: 'new',
  priority: 'normal',
  type: 'question',
  assigneeId: null,
  teamId: null,
  tags: ['billing'],
  requesterId: 'c1',
  solvedAt: null,
  closedAt: null,
};

describe('planUpdate', () => {
  it('records each changed field from → to and nothing else', () => {
    const plan = planUpdate(ticket, { priority: 'high', type: 'question', tags: ['Billing', 'refund'] }, now);
    expect(plan.ok && plan.changes).toEqual([
      { field: 'priority', from: 'normal', to: 'high' },
      { field: 'tags', from: ['billing'], to: ['billing', 'refund'] },
    ]);
  });

  it('opens a new ticket when someone takes it', () => {
    const plan = planUpdate(ticket, { assigneeId: 'u1' }, now);
    expect(plan.ok && plan.next.statusKey).toBe('open');
    expect(plan.ok && plan.changes.map((c) => c.field)).toEqual(['status', 'assignee']);
  });

  it('keeps an explicit status when assigning', () => {
    const plan = planUpdate(
      ticket,
      { assigneeId: 'u1', status: { key: 'pending', category: 'pending' } },
      now,
    );
    expect(plan.ok && plan.next.statusCategory).toBe('pending');
  });

  it('stamps solvedAt on solving and clears it on reopening', () => {
    const solved = planUpdate(ticket, { status: { key: 'solved', category: 'solved' } }, now);
    expect(solved.ok && solved.next.solvedAt).toEqual(now);
    if (!solved.ok) throw new Error('expected a plan');
    const reopened = planUpdate(solved.next, { status: { key: 'open', category: 'open' } }, now);
    expect(reopened.ok && reopened.next.solvedAt).toBeNull();
  });

  it('refuses to change a closed ticket', () => {
    const closed = { ...ticket, statusKey: 'closed', statusCategory: 'closed' as const, closedAt: now };
    expect(planUpdate(closed, { priority: 'urgent' }, now)).toEqual({ ok: false, reason: 'closed' });
  });

  it('stamps closedAt (and solvedAt when missing) on closing', () => {
    const plan = planUpdate(ticket, { status: { key: 'closed', category: 'closed' } }, now);
    expect(plan.ok && [plan.next.closedAt, plan.next.solvedAt]).toEqual([now, now]);
  });
});

describe('ticket rules', () => {
  it('starts new tickets as new, assigned ones as open', () => {
    expect(initialStatusKey(null)).toBe('new');
    expect(initialStatusKey('u1')).toBe('open');
  });

  it('normalises tags', () => {
    expect(normalizeTags([' Refund', 'refund', 'VIP'])).toEqual(['refund', 'vip']);
  });

  it('opens a new ticket after the first public agent reply', () => {
    expect(statusAfterAgentReply('new')).toBe('open');
    expect(statusAfterAgentReply('pending')).toBeNull();
  });
});

describe('detectLanguage', () => {
  it('tells German from English by common words', () => {
    expect(detectLanguage('Guten Tag, mir wurde die Rechnung doppelt abgebucht. Bitte prüfen Sie das.')).toBe(
      'de',
    );
    expect(detectLanguage('Hi there, could you add five more seats to our plan? Thanks')).toBe('en');
  });

  it('gives up on too little text', () => {
    expect(detectLanguage('OK')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });

  it('reads no words out of codes and numbers (a reference like 3a5a1b2c is not "a a")', () => {
    expect(detectLanguage('Rechnung 3a5a1b2c Frage zur Rechnung')).toBeNull();
    expect(detectLanguage('Order 7a0i-4a bitte danke')).toBe('de');
  });
});

describe('extractMentions', () => {
  it('finds each mentioned user once, and nothing in plain text', () => {
    const a = '0b6c3a52-9a8e-4a3c-9a53-1f2a3b4c5d6e';
    const b = '1c7d4b63-0b9f-4b4d-8b64-2a3b4c5d6e7f';
    const html = `<p>Hi <span data-mention="${a}">@Anna</span> and <span class="x" data-mention="${b.toUpperCase()}">@Ben</span>, <span data-mention="${a}">@Anna</span></p>`;
    expect(extractMentions(html)).toEqual([a, b]);
    expect(extractMentions('<p>@Anna please look</p>')).toEqual([]);
    expect(extractMentions('<span data-mention="not-a-user">@x</span>')).toEqual([]);
  });
});
