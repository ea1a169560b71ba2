CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant` text NOT NULL,
	`name` text,
	`scopes` text NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_tenant` ON `api_keys` (`tenant`);--> statement-breakpoint
CREATE TABLE `formula_versions` (
	`tenant` text NOT NULL,
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`expr` text NOT NULL,
	`params` text,
	`description` text,
	`inputs` text NOT NULL,
	`deps` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant`, `name`, `version`)
);
--> statement-breakpoint
CREATE TABLE `formulas` (
	`tenant` text NOT NULL,
	`name` text NOT NULL,
	`current_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	PRIMARY KEY(`tenant`, `name`)
);
