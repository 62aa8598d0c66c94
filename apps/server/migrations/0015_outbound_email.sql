CREATE TABLE "email_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"ticket_message_id" uuid,
	"mailbox_id" uuid,
	"from_address" text NOT NULL,
	"to_addresses" text[] NOT NULL,
	"cc_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject" text NOT NULL,
	"message_id_header" text NOT NULL,
	"in_reply_to" text,
	"references" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_emails_message_id_header_unique" UNIQUE("message_id_header")
);
--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD COLUMN "automatic" text;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD COLUMN "ack_skipped" text;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_ticket_message_id_ticket_messages_id_fk" FOREIGN KEY ("ticket_message_id") REFERENCES "public"."ticket_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbound_emails_ticket_idx" ON "outbound_emails" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_emails_reply_idx" ON "outbound_emails" USING btree ("ticket_message_id") WHERE "outbound_emails"."kind" = 'reply';--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_emails_ack_idx" ON "outbound_emails" USING btree ("ticket_id") WHERE "outbound_emails"."kind" = 'acknowledgement';--> statement-breakpoint
CREATE INDEX "outbound_emails_to_idx" ON "outbound_emails" USING gin ("to_addresses");