CREATE TABLE `notification_outbox` (
	`message_key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`order_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`enqueued_at` text
);
--> statement-breakpoint
CREATE INDEX `notification_outbox_unenqueued` ON `notification_outbox` (`enqueued_at`,`created_at`);--> statement-breakpoint
ALTER TABLE `refunds` ADD `seq` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `state` text DEFAULT 'succeeded' NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `refunds` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `organizer_id` text;--> statement-breakpoint
ALTER TABLE `refunds` ADD `settled_at` text;--> statement-breakpoint
-- Backfill (drizzle-kit cannot express it): existing refunds get their place per order.
UPDATE `refunds` SET `seq` = (SELECT COUNT(*) FROM `refunds` AS `r` WHERE `r`.`order_id` = `refunds`.`order_id` AND (`r`.`created_at` < `refunds`.`created_at` OR (`r`.`created_at` = `refunds`.`created_at` AND `r`.`id` <= `refunds`.`id`)));--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_order_seq` ON `refunds` (`order_id`,`seq`);--> statement-breakpoint
CREATE INDEX `refunds_state_created` ON `refunds` (`state`,`created_at`);--> statement-breakpoint
ALTER TABLE `sandbox_refunds` ADD `idempotency_key` text;