CREATE TABLE "datasource_grants" (
	"group_id" uuid NOT NULL,
	"datasource_id" uuid NOT NULL,
	"level" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "datasource_grants_group_id_datasource_id_pk" PRIMARY KEY("group_id","datasource_id"),
	CONSTRAINT "datasource_grants_level_check" CHECK ("datasource_grants"."level" IN ('view', 'query'))
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"system_kind" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_id_org_key" UNIQUE("id","org_id"),
	CONSTRAINT "groups_system_kind_check" CHECK ("groups"."system_kind" IS NULL OR "groups"."system_kind" IN ('admin', 'everyone'))
);
--> statement-breakpoint
ALTER TABLE "datasource_grants" ADD CONSTRAINT "datasource_grants_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasource_grants" ADD CONSTRAINT "datasource_grants_datasource_id_datasources_id_fk" FOREIGN KEY ("datasource_id") REFERENCES "public"."datasources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_org_id_groups_id_org_id_fk" FOREIGN KEY ("group_id","org_id") REFERENCES "public"."groups"("id","org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_org_id_user_id_memberships_org_id_user_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "datasource_grants_datasource_idx" ON "datasource_grants" USING btree ("datasource_id");--> statement-breakpoint
CREATE INDEX "group_members_user_idx" ON "group_members" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_org_name_idx" ON "groups" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "groups_org_system_kind_idx" ON "groups" USING btree ("org_id","system_kind") WHERE "groups"."system_kind" IS NOT NULL;--> statement-breakpoint
-- Every org has its two system groups: the existing ones get them now, new ones from the
-- trigger below, however the org row is inserted.
INSERT INTO "groups" ("org_id", "name", "system_kind")
  SELECT "id", "kind"."name", "kind"."system_kind" FROM "orgs"
  CROSS JOIN (VALUES ('Admin', 'admin'), ('Everyone', 'everyone')) AS "kind"("name", "system_kind");--> statement-breakpoint
CREATE FUNCTION "orgs_system_groups"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "groups" ("org_id", "name", "system_kind") VALUES (NEW."id", 'Admin', 'admin'), (NEW."id", 'Everyone', 'everyone');
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "orgs_system_groups" AFTER INSERT ON "orgs" FOR EACH ROW EXECUTE FUNCTION "orgs_system_groups"();--> statement-breakpoint
-- Datasources that existed before groups stay as they were: every member may query them.
-- A datasource made from now on is reached only by admins until an admin grants it.
INSERT INTO "datasource_grants" ("group_id", "datasource_id", "level")
  SELECT "groups"."id", "datasources"."id", 'query' FROM "datasources"
  JOIN "groups" ON "groups"."org_id" = "datasources"."org_id" AND "groups"."system_kind" = 'everyone';
