CREATE TABLE "automation_schedule" (
	"automation_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"anchor_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	CONSTRAINT "automation_schedule_automation_id_ticket_id_pk" PRIMARY KEY("automation_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "automations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer NOT NULL,
	"conditions" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"timing" jsonb NOT NULL,
	CONSTRAINT "automations_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "rule_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_kind" text NOT NULL,
	"rule_id" uuid NOT NULL,
	"rule_name" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"event_id" bigint,
	"anchor_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triggers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer NOT NULL,
	"conditions" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"events" text[] NOT NULL,
	CONSTRAINT "triggers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "body_text" text;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "actor_rule" jsonb;--> statement-breakpoint
ALTER TABLE "automation_schedule" ADD CONSTRAINT "automation_schedule_automation_id_automations_id_fk" FOREIGN KEY ("automation_id") REFERENCES "public"."automations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_schedule" ADD CONSTRAINT "automation_schedule_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_runs" ADD CONSTRAINT "rule_runs_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "automation_schedule_due_idx" ON "automation_schedule" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "automation_schedule_ticket_idx" ON "automation_schedule" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rule_runs_event_idx" ON "rule_runs" USING btree ("event_id","rule_id") WHERE "rule_runs"."event_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "rule_runs_anchor_idx" ON "rule_runs" USING btree ("rule_id","ticket_id","anchor_at") WHERE "rule_runs"."anchor_at" is not null;--> statement-breakpoint
CREATE INDEX "rule_runs_ticket_idx" ON "rule_runs" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "rule_runs_created_idx" ON "rule_runs" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_dedupe_key_unique" UNIQUE("dedupe_key");