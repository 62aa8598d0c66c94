-- Agent utilisation now reads the work inside each presence stretch (`busy_time`, ADR 0052): every stretch is
-- recounted once by the reporting worker. Stretches are a few rows per agent and day, so marking them all is a
-- short write (tickets are not touched).
INSERT INTO report_dirty (subject, id) SELECT 'presence', id FROM agent_presence_intervals ON CONFLICT DO NOTHING;
