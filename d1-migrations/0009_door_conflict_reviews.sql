CREATE TABLE `door_conflict_reviews` (
	`event_id` text NOT NULL,
	`conflict_id` integer NOT NULL,
	`reviewed_by` text NOT NULL,
	`reviewed_at` text NOT NULL,
	PRIMARY KEY(`event_id`, `conflict_id`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
