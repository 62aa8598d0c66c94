CREATE TABLE "ticket_fields" (
	"key" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"label_en" text NOT NULL,
	"label_de" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required_on_solve" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_custom_fields_idx" ON "tickets" USING gin ("custom_fields");