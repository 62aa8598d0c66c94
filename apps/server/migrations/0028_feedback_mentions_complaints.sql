CREATE TABLE "complaints" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"root_cause" text DEFAULT '' NOT NULL,
	"resolution" text DEFAULT '' NOT NULL,
	"compensation_kind" text DEFAULT 'none' NOT NULL,
	"compensation_value" numeric(12, 2),
	"currency" text DEFAULT 'EUR' NOT NULL,
	"outcome" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mention_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mention_id" uuid NOT NULL,
	"text" text NOT NULL,
	"url" text,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mentions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"external_id" text NOT NULL,
	"author" text NOT NULL,
	"author_email" text,
	"rating" smallint,
	"text" text NOT NULL,
	"url" text,
	"posted_at" timestamp with time zone NOT NULL,
	"language" text,
	"sentiment" text NOT NULL,
	"sentiment_score" real NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"contact_id" uuid,
	"ticket_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback_settings" ADD COLUMN "complaint_rating_max" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mention_replies" ADD CONSTRAINT "mention_replies_mention_id_mentions_id_fk" FOREIGN KEY ("mention_id") REFERENCES "public"."mentions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mention_replies" ADD CONSTRAINT "mention_replies_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaints_category_idx" ON "complaints" USING btree ("category");--> statement-breakpoint
CREATE INDEX "mention_replies_mention_idx" ON "mention_replies" USING btree ("mention_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mentions_source_external_idx" ON "mentions" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "mentions_status_idx" ON "mentions" USING btree ("status","posted_at");--> statement-breakpoint
CREATE INDEX "mentions_posted_idx" ON "mentions" USING btree ("posted_at");