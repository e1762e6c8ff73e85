ALTER TABLE `events` ADD `test_mode` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `test_mode` integer DEFAULT false NOT NULL;