CREATE TABLE `action_runs` (
	`key` text PRIMARY KEY NOT NULL,
	`tenant` text NOT NULL,
	`goal_id` text NOT NULL,
	`result` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cycles` (
	`tenant` text NOT NULL,
	`goal_id` text NOT NULL,
	`cycle` integer NOT NULL,
	`at` integer NOT NULL,
	`receipt` text NOT NULL,
	PRIMARY KEY(`goal_id`, `cycle`)
);
--> statement-breakpoint
CREATE INDEX `cycles_tenant` ON `cycles` (`tenant`,`goal_id`);--> statement-breakpoint
CREATE TABLE `goal_subscriptions` (
	`tenant` text NOT NULL,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`goal_id` text NOT NULL,
	PRIMARY KEY(`tenant`, `kind`, `target`, `goal_id`)
);
--> statement-breakpoint
CREATE INDEX `goal_subscriptions_goal` ON `goal_subscriptions` (`goal_id`);--> statement-breakpoint
CREATE TABLE `goals` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant` text NOT NULL,
	`name` text NOT NULL,
	`spec` text NOT NULL,
	`spec_version` integer NOT NULL,
	`status` text NOT NULL,
	`parent_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `goals_tenant` ON `goals` (`tenant`,`created_at`);--> statement-breakpoint
CREATE INDEX `goals_status` ON `goals` (`status`);--> statement-breakpoint
CREATE TABLE `metric_counts` (
	`tenant` text NOT NULL,
	`name` text NOT NULL,
	`minute` integer NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`tenant`, `name`, `minute`)
);
--> statement-breakpoint
CREATE TABLE `records` (
	`tenant` text NOT NULL,
	`collection` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant`, `collection`, `key`)
);
