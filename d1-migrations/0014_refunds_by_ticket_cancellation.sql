CREATE TABLE `cancellation_orders` (
	`event_id` text NOT NULL,
	`order_id` text PRIMARY KEY NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`refund_id` text NOT NULL,
	`last_error` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cancellation_orders_event` ON `cancellation_orders` (`event_id`);--> statement-breakpoint
CREATE TABLE `event_cancellations` (
	`event_id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`actor` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `notification_outbox` ADD `refund_id` text;--> statement-breakpoint
ALTER TABLE `payment_events` ADD `provider_refund_id` text;--> statement-breakpoint
ALTER TABLE `payment_events` ADD `refund_id` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `refund_id` text;--> statement-breakpoint
CREATE INDEX `tickets_refund` ON `tickets` (`refund_id`);