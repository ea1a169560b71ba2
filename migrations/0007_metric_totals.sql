CREATE TABLE `metric_totals` (
	`tenant` text NOT NULL,
	`series` text NOT NULL,
	`goal` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`tenant`, `series`, `goal`)
);
