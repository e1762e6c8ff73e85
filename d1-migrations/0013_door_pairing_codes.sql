CREATE TABLE `door_pairing_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`event_id` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`device_id`) REFERENCES `door_devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `door_pairing_codes_device` ON `door_pairing_codes` (`device_id`);