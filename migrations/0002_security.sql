CREATE TABLE `goal_secrets` (
	`goal_id` text PRIMARY KEY NOT NULL,
	`tenant` text NOT NULL,
	`signing_secret` text NOT NULL,
	`previous_signing_secret` text,
	`previous_until` integer,
	`ingest_secret` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `idempotent_requests` (
	`tenant` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` integer,
	`content_type` text,
	`body` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotent_requests_age` ON `idempotent_requests` (`created_at`);