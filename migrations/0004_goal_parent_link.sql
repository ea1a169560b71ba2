ALTER TABLE `goals` ADD `parent_action` text;--> statement-breakpoint
ALTER TABLE `goals` ADD `parent_key` text;