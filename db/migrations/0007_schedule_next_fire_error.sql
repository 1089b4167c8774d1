ALTER TABLE "schedules" ADD COLUMN "next_fire_error" text;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "next_fire_error_at" timestamp with time zone;