CREATE TABLE "pulse_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pulse_id" uuid NOT NULL,
	"team_ids" uuid[] NOT NULL,
	"answers" jsonb NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"day" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pulse_invitations" (
	"pulse_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"answered" boolean DEFAULT false NOT NULL,
	CONSTRAINT "pulse_invitations_pulse_id_user_id_pk" PRIMARY KEY("pulse_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "pulse_surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"questions" jsonb NOT NULL,
	"team_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closes_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pulse_answers" ADD CONSTRAINT "pulse_answers_pulse_id_pulse_surveys_id_fk" FOREIGN KEY ("pulse_id") REFERENCES "public"."pulse_surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pulse_invitations" ADD CONSTRAINT "pulse_invitations_pulse_id_pulse_surveys_id_fk" FOREIGN KEY ("pulse_id") REFERENCES "public"."pulse_surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pulse_invitations" ADD CONSTRAINT "pulse_invitations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pulse_answers_pulse_idx" ON "pulse_answers" USING btree ("pulse_id");