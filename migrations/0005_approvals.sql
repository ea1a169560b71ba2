CREATE TABLE `approvals` (
	`key` text PRIMARY KEY NOT NULL,
	`tenant` text NOT NULL,
	`goal_id` text NOT NULL,
	`action` text NOT NULL,
	`rule` text NOT NULL,
	`cycle` integer NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`requested_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `approvals_inbox` ON `approvals` (`tenant`,`status`,`requested_at`);--> statement-breakpoint
CREATE INDEX `approvals_goal` ON `approvals` (`goal_id`);