ALTER TABLE "mailboxes" ADD COLUMN "imap_url" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_folder" text DEFAULT 'INBOX' NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_uid_validity" bigint;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_last_uid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_lease_owner" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "last_polled_at" timestamp with time zone;