CREATE TABLE "ticket_imports" (
	"source" text NOT NULL,
	"case_key" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_imports_source_case_key_pk" PRIMARY KEY("source","case_key")
);
--> statement-breakpoint
ALTER TABLE "ticket_imports" ADD CONSTRAINT "ticket_imports_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;