import { describe, expect, it } from 'vitest';
import {
  canClose,
  canReply,
  categoriesOf,
  firstName,
  hashPortalSecret,
  isCustomerVisibleAction,
  isPortalSecret,
  newPortalSecret,
  pickLanguage,
  portalStatus,
} from './portal.domain';

describe('portal secrets', () => {
  it('makes distinct link and session secrets that cannot stand in for each other', () => {
    const link = newPortalSecret('link');
    const session = newPortalSecret('session');
    expect(isPortalSecret(link, 'link')).toBe(true);
    expect(isPortalSecret(link, 'session')).toBe(false);
    expect(isPortalSecret(session, 'session')).toBe(true);
    expect(newPortalSecret('link')).not.toBe(link);
    expect(isPortalSecret(undefined, 'link')).toBe(false);
    expect(isPortalSecret('kdpl_short', 'link')).toBe(false);
  });

  it('stores a SHA-256 hex digest, never the secret', () => {
    const secret = newPortalSecret('link');
    expect(hashPortalSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPortalSecret(secret)).not.toContain(secret.slice(5));
  });
});

describe('what the customer sees', () => {
  it.each([
    ['new', 'open'],
    ['open', 'open'],
    ['on_hold', 'open'],
    ['pending', 'pending'],
    ['solved', 'solved'],
    ['closed', 'closed'],
  ])('shows status category %s as %s', (category, shown) => {
    expect(portalStatus(category)).toBe(shown);
  });

  it('files solved and closed tickets under closed', () => {
    expect(categoriesOf('closed')).toEqual(['solved', 'closed']);
    expect(categoriesOf('open')).not.toContain('solved');
  });

  it('lets the customer close until solved and reply until closed', () => {
    expect(canClose('pending')).toBe(true);
    expect(canClose('solved')).toBe(false);
    expect(canReply('solved')).toBe(true);
    expect(canReply('closed')).toBe(false);
  });

  it('names agents by first name', () => {
    expect(firstName('  Anna Maria Schmidt ')).toBe('Anna');
    expect(firstName('')).toBe('');
  });

  it('passes on ticket changes but never internal notes or other entities', () => {
    expect(isCustomerVisibleAction('ticket', 'ticket.replied')).toBe(true);
    expect(isCustomerVisibleAction('ticket', 'ticket.updated')).toBe(true);
    expect(isCustomerVisibleAction('ticket', 'ticket.noted')).toBe(false);
    expect(isCustomerVisibleAction('contact', 'ticket.updated')).toBe(false);
  });
});

describe('language of the sign-in pages', () => {
  it.each([
    ['de', undefined, 'de'],
    [undefined, 'de-DE,de;q=0.9,en;q=0.8', 'de'],
    [undefined, 'fr-FR,en;q=0.5', 'en'],
    ['en', 'de', 'en'],
    ['xx', undefined, 'en'],
  ])('picks %s / %s as %s', (query, header, expected) => {
    expect(pickLanguage(query, header)).toBe(expected);
  });
});
