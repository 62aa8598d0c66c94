CREATE TABLE "account_risk" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"model_id" uuid,
	"probability" double precision,
	"raising" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lowering" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"health_score" double precision,
	"health_band" text,
	"health_components" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"value" double precision DEFAULT 0 NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_risk_history" (
	"account_id" uuid NOT NULL,
	"day" date NOT NULL,
	"probability" double precision,
	"health_score" double precision,
	"health_band" text,
	CONSTRAINT "account_risk_history_account_id_day_pk" PRIMARY KEY("account_id","day")
);
--> statement-breakpoint
CREATE TABLE "churn_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cutoff" date NOT NULL,
	"horizon_days" integer NOT NULL,
	"rows" integer NOT NULL,
	"positives" integer NOT NULL,
	"model" jsonb,
	"summary" jsonb,
	"error" text,
	"seconds" double precision
);
--> statement-breakpoint
CREATE TABLE "retention_outreach" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"user_id" uuid,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"happened_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"health" jsonb,
	"inactive_days" integer DEFAULT 90 NOT NULL,
	"horizon_days" integer DEFAULT 90 NOT NULL,
	"retrain_days" integer DEFAULT 7 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_settings_one_row" CHECK ("retention_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "account_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "account_name" text;--> statement-breakpoint
ALTER TABLE "account_risk" ADD CONSTRAINT "account_risk_account_id_customer_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."customer_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_risk" ADD CONSTRAINT "account_risk_model_id_churn_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."churn_models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_risk_history" ADD CONSTRAINT "account_risk_history_account_id_customer_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."customer_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_outreach" ADD CONSTRAINT "retention_outreach_account_id_customer_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."customer_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_outreach" ADD CONSTRAINT "retention_outreach_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_risk_value_at_risk_idx" ON "account_risk" USING btree ((coalesce("probability", 0) * "value") desc);--> statement-breakpoint
CREATE INDEX "account_risk_band_idx" ON "account_risk" USING btree ("health_band");--> statement-breakpoint
CREATE INDEX "churn_models_trained_idx" ON "churn_models" USING btree ("trained_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "retention_outreach_account_idx" ON "retention_outreach" USING btree ("account_id","happened_at" DESC NULLS LAST);--> statement-breakpoint
INSERT INTO role_permissions (role_key, permission)
SELECT key, 'retention:manage' FROM roles WHERE key IN ('admin', 'manager', 'retention_specialist')
ON CONFLICT DO NOTHING;
