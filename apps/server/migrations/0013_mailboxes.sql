CREATE TABLE "mailboxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"address" text NOT NULL,
	"sender_name" text NOT NULL,
	"team_id" uuid,
	"signature" text DEFAULT '' NOT NULL,
	"auto_acknowledge" boolean DEFAULT true NOT NULL,
	"ack_subject_en" text NOT NULL,
	"ack_body_en" text NOT NULL,
	"ack_subject_de" text NOT NULL,
	"ack_body_de" text NOT NULL,
	"smtp_url" text,
	"active" boolean DEFAULT true NOT NULL,
	"last_received_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailboxes_address_unique" UNIQUE("address")
);
--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD COLUMN "mailbox_id" uuid;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE set null ON UPDATE no action;