ALTER TABLE `sandbox_payments` ADD `idempotency_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `sandbox_payments_idempotency_key_unique` ON `sandbox_payments` (`idempotency_key`);--> statement-breakpoint
ALTER TABLE `sandbox_payments` DROP COLUMN `return_url`;