import { PGlite } from '@electric-sql/pglite';
const db = new PGlite();
const r = await db.query(`select to_tsvector('german', 'Die Rechnungen wurden doppelt abgebucht') as de, to_tsvector('english', 'The invoices were charged twice') as en, websearch_to_tsquery('german', '"doppelt abgebucht" Rechnung') as q`);
console.log(r.rows);
const h = await db.query(`select ts_headline('german', 'Die Rechnungen wurden doppelt abgebucht', websearch_to_tsquery('german','Rechnung'), 'StartSel=X, StopSel=Y') as h`);
console.log(h.rows);
await db.close();
