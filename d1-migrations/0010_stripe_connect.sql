CREATE TABLE `connect_accounts` (
	`organizer_id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`charges_enabled` integer DEFAULT false NOT NULL,
	`payouts_enabled` integer DEFAULT false NOT NULL,
	`details_submitted` integer DEFAULT false NOT NULL,
	`currently_due` text DEFAULT '[]' NOT NULL,
	`past_due` text DEFAULT '[]' NOT NULL,
	`disabled_reason` text,
	`state_at` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connect_accounts_account` ON `connect_accounts` (`account_id`);--> statement-breakpoint
CREATE TABLE `connect_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`account_id` text,
	`outcome` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `connect_payouts` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`arrival_at` text NOT NULL,
	`status` text NOT NULL,
	`failure_message` text,
	`state_at` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `connect_payouts_organizer` ON `connect_payouts` (`organizer_id`,`arrival_at`);--> statement-breakpoint
CREATE TABLE `platform_fees` (
	`organizer_id` text PRIMARY KEY NOT NULL,
	`percent_bps` integer NOT NULL,
	`fixed_minor` integer NOT NULL,
	`min_minor` integer NOT NULL,
	`max_minor` integer,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `payments` ADD `destination_account_id` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `application_fee_minor` integer;