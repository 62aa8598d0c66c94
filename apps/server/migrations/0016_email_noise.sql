CREATE TABLE "email_blocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pattern" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_blocks_pattern_unique" UNIQUE("pattern")
);
--> statement-breakpoint
CREATE TABLE "ticket_email_ccs" (
	"ticket_id" uuid NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_email_ccs_ticket_id_address_pk" PRIMARY KEY("ticket_id","address")
);
--> statement-breakpoint
ALTER TABLE "contact_identities" ADD COLUMN "bouncing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD COLUMN "bounce_reason" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "reopen_solved" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_email_ccs" ADD CONSTRAINT "ticket_email_ccs_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_emails_held_idx" ON "inbound_emails" USING btree ("received_at" DESC NULLS LAST) WHERE "inbound_emails"."outcome" in ('received', 'spam', 'blocked') or ("inbound_emails"."outcome" = 'bounce' and "inbound_emails"."ticket_id" is null);