-- Routing reads each agent's open tickets (new or open, assigned to them) from agent_routing.open_tickets
-- instead of counting tickets on every assignment. These triggers keep the count exact on every path that
-- writes tickets, in the same transaction as the write.
CREATE FUNCTION keepdesk_count_open_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := TG_OP <> 'INSERT' AND OLD.assignee_id IS NOT NULL AND OLD.status_category IN ('new', 'open');
  is_open boolean := TG_OP <> 'DELETE' AND NEW.assignee_id IS NOT NULL AND NEW.status_category IN ('new', 'open');
BEGIN
  IF was_open AND (NOT is_open OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id) THEN
    UPDATE agent_routing SET open_tickets = open_tickets - 1 WHERE user_id = OLD.assignee_id;
  END IF;
  IF is_open AND (NOT was_open OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id) THEN
    UPDATE agent_routing SET open_tickets = open_tickets + 1 WHERE user_id = NEW.assignee_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_count_open_insert AFTER INSERT ON tickets
  FOR EACH ROW WHEN (NEW.assignee_id IS NOT NULL) EXECUTE FUNCTION keepdesk_count_open_tickets();
--> statement-breakpoint
CREATE TRIGGER tickets_count_open_update AFTER UPDATE OF assignee_id, status_category ON tickets
  FOR EACH ROW EXECUTE FUNCTION keepdesk_count_open_tickets();
--> statement-breakpoint
CREATE TRIGGER tickets_count_open_delete AFTER DELETE ON tickets
  FOR EACH ROW WHEN (OLD.assignee_id IS NOT NULL) EXECUTE FUNCTION keepdesk_count_open_tickets();
--> statement-breakpoint
-- A new agent_routing row starts with the agent's count as it is.
CREATE FUNCTION keepdesk_initial_open_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.open_tickets := (SELECT count(*) FROM tickets
                        WHERE assignee_id = NEW.user_id AND status_category IN ('new', 'open'));
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER agent_routing_initial_open_tickets BEFORE INSERT ON agent_routing
  FOR EACH ROW EXECUTE FUNCTION keepdesk_initial_open_tickets();
--> statement-breakpoint
UPDATE agent_routing a SET open_tickets = (SELECT count(*) FROM tickets t
  WHERE t.assignee_id = a.user_id AND t.status_category IN ('new', 'open'));
