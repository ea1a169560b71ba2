CREATE TABLE `action_claims` (
	`key` varchar(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`token` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`until` bigint NOT NULL,
	CONSTRAINT `action_claims_key` PRIMARY KEY(`key`)
);
--> statement-breakpoint
CREATE TABLE `action_runs` (
	`key` varchar(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`goal_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`result` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`at` bigint NOT NULL,
	CONSTRAINT `action_runs_key` PRIMARY KEY(`key`)
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`scopes` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`hash` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`prefix` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created_at` bigint NOT NULL,
	`revoked_at` bigint,
	CONSTRAINT `api_keys_id` PRIMARY KEY(`id`),
	CONSTRAINT `api_keys_hash_unique` UNIQUE(`hash`)
);
--> statement-breakpoint
CREATE TABLE `approvals` (
	`key` varchar(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`goal_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`action` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`rule` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`cycle` int NOT NULL,
	`kind` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`payload` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`status` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`requested_at` bigint NOT NULL,
	`expires_at` bigint NOT NULL,
	`decided_at` bigint,
	`decided_by` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`reason` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	CONSTRAINT `approvals_key` PRIMARY KEY(`key`)
);
--> statement-breakpoint
CREATE TABLE `cycles` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`goal_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`cycle` int NOT NULL,
	`at` bigint NOT NULL,
	`receipt` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `cycles_goal_id_cycle_pk` PRIMARY KEY(`goal_id`,`cycle`)
);
--> statement-breakpoint
CREATE TABLE `formula_versions` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`version` int NOT NULL,
	`expr` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`params` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`description` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`inputs` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`deps` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created_at` bigint NOT NULL,
	CONSTRAINT `formula_versions_tenant_name_version_pk` PRIMARY KEY(`tenant`,`name`,`version`)
);
--> statement-breakpoint
CREATE TABLE `formulas` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`current_version` int NOT NULL,
	`created_at` bigint NOT NULL,
	`updated_at` bigint NOT NULL,
	`deleted_at` bigint,
	CONSTRAINT `formulas_tenant_name_pk` PRIMARY KEY(`tenant`,`name`)
);
--> statement-breakpoint
CREATE TABLE `goal_secrets` (
	`goal_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`signing_secret` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`previous_signing_secret` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`previous_until` bigint,
	`ingest_secret` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`updated_at` bigint NOT NULL,
	CONSTRAINT `goal_secrets_goal_id` PRIMARY KEY(`goal_id`)
);
--> statement-breakpoint
CREATE TABLE `goal_subscriptions` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`kind` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`target` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`goal_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `goal_subscriptions_tenant_kind_target_goal_id_pk` PRIMARY KEY(`tenant`,`kind`,`target`,`goal_id`)
);
--> statement-breakpoint
CREATE TABLE `goals` (
	`id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`spec` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`spec_version` int NOT NULL,
	`status` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`parent_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`parent_action` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`parent_key` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`created_at` bigint NOT NULL,
	`updated_at` bigint NOT NULL,
	CONSTRAINT `goals_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `idempotent_requests` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`fingerprint` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`status` int,
	`content_type` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`body` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`created_at` bigint NOT NULL,
	CONSTRAINT `idempotent_requests_tenant_key_pk` PRIMARY KEY(`tenant`,`key`)
);
--> statement-breakpoint
CREATE TABLE `metric_counts` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`name` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`minute` bigint NOT NULL,
	`value` double NOT NULL,
	CONSTRAINT `metric_counts_tenant_name_minute_pk` PRIMARY KEY(`tenant`,`name`,`minute`)
);
--> statement-breakpoint
CREATE TABLE `metric_totals` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`series` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`goal` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`value` double NOT NULL,
	CONSTRAINT `metric_totals_tenant_series_goal_pk` PRIMARY KEY(`tenant`,`series`,`goal`)
);
--> statement-breakpoint
CREATE TABLE `record_events` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`collection` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`key` varchar(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`value` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`version` int NOT NULL,
	`at` bigint NOT NULL,
	`chain` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	CONSTRAINT `record_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `records` (
	`tenant` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`collection` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`key` varchar(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`value` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`version` int NOT NULL,
	`updated_at` bigint NOT NULL,
	CONSTRAINT `records_tenant_collection_key_pk` PRIMARY KEY(`tenant`,`collection`,`key`)
);
--> statement-breakpoint
CREATE INDEX `api_keys_tenant` ON `api_keys` (`tenant`);--> statement-breakpoint
CREATE INDEX `approvals_inbox` ON `approvals` (`tenant`,`status`,`requested_at`);--> statement-breakpoint
CREATE INDEX `approvals_goal` ON `approvals` (`goal_id`);--> statement-breakpoint
CREATE INDEX `cycles_tenant` ON `cycles` (`tenant`,`goal_id`);--> statement-breakpoint
CREATE INDEX `goal_subscriptions_goal` ON `goal_subscriptions` (`goal_id`);--> statement-breakpoint
CREATE INDEX `goals_tenant` ON `goals` (`tenant`,`created_at`);--> statement-breakpoint
CREATE INDEX `goals_status` ON `goals` (`status`);--> statement-breakpoint
CREATE INDEX `idempotent_requests_age` ON `idempotent_requests` (`created_at`);