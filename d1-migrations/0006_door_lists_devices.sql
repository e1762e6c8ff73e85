CREATE TABLE `checkin_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`ticket_type_ids` text,
	`direction` text NOT NULL,
	`valid_from` text,
	`valid_until` text,
	`gate` text,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `checkin_lists_event` ON `checkin_lists` (`event_id`);--> statement-breakpoint
CREATE TABLE `door_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`list_ids` text,
	`token_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen_at` text,
	`revoked_at` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `door_devices_token` ON `door_devices` (`token_hash`);--> statement-breakpoint
CREATE INDEX `door_devices_event` ON `door_devices` (`event_id`);--> statement-breakpoint
CREATE INDEX `tickets_event_created` ON `tickets` (`event_id`,`created_at`);