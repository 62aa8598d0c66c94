CREATE TABLE "agent_routing" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"presence" text DEFAULT 'offline' NOT NULL,
	"presence_at" timestamp with time zone DEFAULT now() NOT NULL,
	"capacity" integer DEFAULT 10 NOT NULL,
	"skills" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_assigned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "team_routing" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"method" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_routing" ADD CONSTRAINT "agent_routing_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_routing" ADD CONSTRAINT "team_routing_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;