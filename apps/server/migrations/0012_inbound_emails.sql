CREATE TABLE "inbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id_header" text,
	"content_hash" text NOT NULL,
	"storage_key" text NOT NULL,
	"size" integer NOT NULL,
	"from_address" text,
	"subject" text,
	"outcome" text DEFAULT 'received' NOT NULL,
	"ticket_id" uuid,
	"ticket_message_id" uuid,
	"problem" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_ticket_message_id_ticket_messages_id_fk" FOREIGN KEY ("ticket_message_id") REFERENCES "public"."ticket_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_emails_message_id_idx" ON "inbound_emails" USING btree ("message_id_header");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_emails_hash_idx" ON "inbound_emails" USING btree ("content_hash") WHERE "inbound_emails"."message_id_header" is null;--> statement-breakpoint
CREATE INDEX "inbound_emails_ticket_idx" ON "inbound_emails" USING btree ("ticket_id");