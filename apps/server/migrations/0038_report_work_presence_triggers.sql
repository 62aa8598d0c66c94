-- Reports by organisation and custom field: a ticket whose organisation or field values change is recomputed
-- (such changes write no ticket event when they come from a contact's move or a deleted organisation).
CREATE FUNCTION keepdesk_report_mark_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty (subject, id) VALUES ('ticket', NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_report_dims AFTER UPDATE OF organization_id, custom_fields ON tickets
  FOR EACH ROW WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id
                     OR OLD.custom_fields IS DISTINCT FROM NEW.custom_fields)
  EXECUTE FUNCTION keepdesk_report_mark_ticket();
--> statement-breakpoint
-- Work sessions count for their ticket (handle time) and on their own (the agent's work time).
CREATE TRIGGER ticket_work_sessions_report_ticket_insert AFTER INSERT ON ticket_work_sessions
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('ticket', 'ticket_id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER ticket_work_sessions_report_ticket_update AFTER UPDATE ON ticket_work_sessions
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('ticket', 'ticket_id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER ticket_work_sessions_report_ticket_delete AFTER DELETE ON ticket_work_sessions
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('ticket', 'ticket_id', 'old_rows');
--> statement-breakpoint
CREATE TRIGGER ticket_work_sessions_report_insert AFTER INSERT ON ticket_work_sessions
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('work', 'id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER ticket_work_sessions_report_update AFTER UPDATE ON ticket_work_sessions
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('work', 'id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER ticket_work_sessions_report_delete AFTER DELETE ON ticket_work_sessions
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('work', 'id', 'old_rows');
--> statement-breakpoint
CREATE TRIGGER agent_presence_intervals_report_insert AFTER INSERT ON agent_presence_intervals
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('presence', 'id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER agent_presence_intervals_report_update AFTER UPDATE ON agent_presence_intervals
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('presence', 'id', 'new_rows');
--> statement-breakpoint
CREATE TRIGGER agent_presence_intervals_report_delete AFTER DELETE ON agent_presence_intervals
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION keepdesk_report_mark('presence', 'id', 'old_rows');
--> statement-breakpoint
-- Agents present now start their history now: time before the upgrade was never recorded, and their last change
-- of presence may lie months back. Tickets and invitations reported before get their organisation and field rows
-- from `keepdesk report rebuild` (docs/reporting.md, upgrade note), not from marks here: marking every ticket
-- would hold this transaction's trigger lock over a long write and queue live changes behind a million marks.
INSERT INTO agent_presence_intervals (user_id, presence, started_at)
SELECT user_id, presence, now() FROM agent_routing WHERE presence IN ('online', 'away');
