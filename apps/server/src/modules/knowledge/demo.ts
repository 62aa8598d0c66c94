import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Actor } from '../../platform/events';
import { changeStatus, createArticle, createTranslation } from './articles.service';
import { brandIdOf, createCategory, createSection } from './categories.service';
import { articles, categories } from './knowledge.tables';

const PUBLISHER = ['kb:read', 'kb:write', 'kb:publish'];
const DAY_MS = 86_400_000;

/**
 * The demo workspace's knowledge base, once: a category with a section, a public article in English and
 * German, an internal article whose verification has expired, and a published policy for agents to confirm.
 * `owners` are the user ids of a team lead (author and owner) and an agent (owner of the expired article).
 */
export async function seedKnowledgeDemo(
  deps: Deps,
  owners: { lead: string; agent: string },
): Promise<boolean> {
  const db = deps.database.db;
  const brandId = await brandIdOf(db, 'default');
  const [existing] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(sql`${categories.brandId} = ${brandId} and ${categories.slug} = 'account'`);
  if (existing) return false;
  const lead: Actor = { kind: 'user', userId: owners.lead };
  const publish = (id: string) => changeStatus(deps, lead, PUBLISHER, id, { status: 'published' });

  const category = await createCategory(deps, lead, {
    names: { en: 'Account and sign-in', de: 'Konto und Anmeldung' },
    descriptions: { en: 'Passwords, sign-in and profile.', de: 'Passwörter, Anmeldung und Profil.' },
    slug: 'account',
    position: 0,
  });
  const section = await createSection(deps, lead, {
    categoryId: category.id,
    names: { en: 'Passwords', de: 'Passwörter' },
    position: 0,
  });
  const reset = await createArticle(deps, lead, {
    title: 'Reset your password',
    body: '<p>Open <strong>Sign in</strong> and choose <em>Forgot password</em>. We send a link that is valid for one hour.</p><ol><li>Open the link.</li><li>Choose a new password of at least 12 characters.</li></ol>',
    language: 'en',
    kind: 'article',
    visibility: 'public',
    categoryId: category.id,
    sectionId: section.id,
    tags: ['password', 'sign-in'],
    verificationIntervalDays: 180,
  });
  await publish(reset.id);
  const german = await createTranslation(deps, lead, reset.id, {
    language: 'de',
    title: 'Passwort zurücksetzen',
    body: '<p>Öffne <strong>Anmelden</strong> und wähle <em>Passwort vergessen</em>. Wir schicken einen Link, der eine Stunde gilt.</p><ol><li>Öffne den Link.</li><li>Wähle ein neues Passwort mit mindestens 12 Zeichen.</li></ol>',
  });
  await publish(german.id);

  const refunds = await createArticle(deps, lead, {
    title: 'Refunds above 100 euros',
    body: '<p>Refunds above 100 € need a team lead’s approval. Add the tag <code>refund-approval</code> and assign the ticket to your lead.</p>',
    language: 'en',
    kind: 'article',
    visibility: 'internal',
    categoryId: null,
    sectionId: null,
    tags: ['refund'],
    ownerId: owners.agent,
    verificationIntervalDays: 90,
  });
  await publish(refunds.id);
  // Written long ago and never verified since: it shows "needs review" and reminds its owner.
  const longAgo = new Date(deps.now().getTime() - 120 * DAY_MS);
  await db
    .update(articles)
    .set({ createdAt: longAgo, verificationDueAt: new Date(longAgo.getTime() + 90 * DAY_MS) })
    .where(sql`${articles.id} = ${refunds.id}`);

  const policy = await createArticle(deps, lead, {
    title: 'Data protection when answering customers',
    body: '<p>Never send passwords, full card numbers or health data by e-mail. Ask the customer to use the portal instead.</p>',
    language: 'en',
    kind: 'policy',
    visibility: 'internal',
    categoryId: null,
    sectionId: null,
    tags: ['gdpr'],
    verificationIntervalDays: 365,
  });
  await publish(policy.id);
  return true;
}
