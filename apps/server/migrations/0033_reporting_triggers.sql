-- Reporting recomputes a subject's report after anything it counts changed: these triggers mark the subject in
-- report_dirty in the same transaction as the change, once per statement (ADR 0028). The reporting worker
-- takes the marks in batches.
CREATE FUNCTION keepdesk_report_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- TG_ARGV: the subject, the column holding its id, the transition table to read.
  EXECUTE format(
    'INSERT INTO report_dirty (subject, id) SELECT DISTINCT %L, %I FROM %I WHERE %I IS NOT NULL ON CONFLICT DO NOTHING',
    TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[1]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_events_report AFTER INSERT ON ticket_events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('ticket', 'ticket_id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER tickets_report_delete AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('ticket', 'id', 'old_rows');
--> statement-breakpoint
CREATE TRIGGER ticket_slas_report_insert AFTER INSERT ON ticket_slas REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('ticket', 'ticket_id', 'new_rows');
--> statement-breakpoint
-- The SLA job rewrites a ticket's clocks after every change; only a real change of them counts.
CREATE FUNCTION keepdesk_report_mark_slas() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty (subject, id)
  SELECT DISTINCT 'ticket', n.ticket_id FROM new_rows n JOIN old_rows o USING (ticket_id)
   WHERE n.clocks IS DISTINCT FROM o.clocks
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_slas_report_update AFTER UPDATE ON ticket_slas
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark_slas();
--> statement-breakpoint
CREATE TRIGGER ticket_escalations_report AFTER INSERT ON ticket_escalations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('ticket', 'ticket_id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER survey_invitations_report_insert AFTER INSERT ON survey_invitations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('invitation', 'id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER survey_invitations_report_update AFTER UPDATE ON survey_invitations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('invitation', 'id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER survey_invitations_report_delete AFTER DELETE ON survey_invitations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('invitation', 'id', 'old_rows');
--> statement-breakpoint
CREATE TRIGGER survey_responses_report AFTER INSERT ON survey_responses REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('invitation', 'invitation_id', 'new_rows');
--> statement-breakpoint
-- Rollup histograms are int arrays whose subscripts are the bucket numbers ('[12:14]={3,0,1}'), added
-- elementwise; empty buckets at either end are dropped, an empty result is '{}'.
CREATE FUNCTION keepdesk_hist_add(a integer[], b integer[]) RETURNS integer[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  lo integer;
  hi integer;
  r integer[];
BEGIN
  IF a IS NULL OR cardinality(a) = 0 THEN RETURN coalesce(b, a); END IF;
  IF b IS NULL OR cardinality(b) = 0 THEN RETURN a; END IF;
  lo := least(array_lower(a, 1), array_lower(b, 1));
  hi := greatest(array_upper(a, 1), array_upper(b, 1));
  WHILE lo <= hi AND coalesce(a[lo], 0) + coalesce(b[lo], 0) = 0 LOOP
    lo := lo + 1;
  END LOOP;
  WHILE hi >= lo AND coalesce(a[hi], 0) + coalesce(b[hi], 0) = 0 LOOP
    hi := hi - 1;
  END LOOP;
  IF lo > hi THEN RETURN '{}'; END IF;
  r := array_fill(0, ARRAY[hi - lo + 1], ARRAY[lo]);
  FOR i IN lo..hi LOOP
    r[i] := coalesce(a[i], 0) + coalesce(b[i], 0);
  END LOOP;
  RETURN r;
END $$;
--> statement-breakpoint
-- Reports are read by managers, team leads and retention specialists; managers set targets and schedules.
INSERT INTO role_permissions (role_key, permission)
SELECT key, 'reports:read' FROM roles WHERE key IN ('manager', 'team_lead', 'retention_specialist')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO role_permissions (role_key, permission)
SELECT key, 'reports:manage' FROM roles WHERE key = 'manager'
ON CONFLICT DO NOTHING;
