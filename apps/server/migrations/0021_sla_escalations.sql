CREATE TABLE "ticket_escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone,
	"reason" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"from_team_id" uuid,
	"to_team_id" uuid,
	"to_user_id" uuid,
	"by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "escalation" jsonb DEFAULT '{"atRisk":{"notify":["assignee"]},"breach":{"notify":["assignee","team_lead"],"reassignToLead":false,"escalationTeamId":null,"raisePriority":false}}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_escalations" ADD CONSTRAINT "ticket_escalations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_escalations_ticket_idx" ON "ticket_escalations" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_escalations_automatic_idx" ON "ticket_escalations" USING btree ("ticket_id","kind","due_at") WHERE "ticket_escalations"."kind" <> 'manual';--> statement-breakpoint
CREATE INDEX "ticket_escalations_created_idx" ON "ticket_escalations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tickets_sla_at_risk_running_idx" ON "tickets" USING btree ("sla_at_risk_at") WHERE "tickets"."sla_status" = 'running';--> statement-breakpoint
CREATE INDEX "tickets_sla_due_running_idx" ON "tickets" USING btree ("sla_due_at") WHERE "tickets"."sla_status" = 'running';