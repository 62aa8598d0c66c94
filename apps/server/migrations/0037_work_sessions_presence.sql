CREATE TABLE "agent_presence_intervals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"presence" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ticket_work_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"seconds" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_presence_intervals" ADD CONSTRAINT "agent_presence_intervals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_work_sessions" ADD CONSTRAINT "ticket_work_sessions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_work_sessions" ADD CONSTRAINT "ticket_work_sessions_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_presence_intervals_user_idx" ON "agent_presence_intervals" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_presence_intervals_open_idx" ON "agent_presence_intervals" USING btree ("user_id") WHERE "agent_presence_intervals"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "ticket_work_sessions_ticket_idx" ON "ticket_work_sessions" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_work_sessions_agent_idx" ON "ticket_work_sessions" USING btree ("agent_id","ended_at");