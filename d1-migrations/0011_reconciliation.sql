CREATE TABLE `payment_fees` (
	`payment_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`event_id` text NOT NULL,
	`balance_transaction_id` text NOT NULL,
	`currency` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`stripe_fee_minor` integer NOT NULL,
	`application_fee_minor` integer NOT NULL,
	`other_fee_minor` integer NOT NULL,
	`net_minor` integer NOT NULL,
	`fetched_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payment_fees_event` ON `payment_fees` (`event_id`);--> statement-breakpoint
CREATE TABLE `reconciliation_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`window_end` text,
	`last_run_at` text,
	`lease_until` text,
	`last_result` text
);
--> statement-breakpoint
CREATE TABLE `reconciliation_differences` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`organizer_id` text,
	`event_id` text,
	`order_id` text,
	`objects` text NOT NULL,
	`details` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`action` text,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`resolved_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reconciliation_differences_key` ON `reconciliation_differences` (`key`);--> statement-breakpoint
CREATE INDEX `reconciliation_differences_organizer` ON `reconciliation_differences` (`organizer_id`,`status`,`last_seen_at`);--> statement-breakpoint
CREATE INDEX `reconciliation_differences_status` ON `reconciliation_differences` (`status`,`last_seen_at`);--> statement-breakpoint
CREATE INDEX `orders_updated` ON `orders` (`updated_at`);--> statement-breakpoint
CREATE INDEX `payment_events_received` ON `payment_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `payments_created` ON `payments` (`created_at`);