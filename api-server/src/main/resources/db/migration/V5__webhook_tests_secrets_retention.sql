-- Webhooks: test deliveries, encrypted signing secrets, delivery log retention.

-- A test delivery (POST .../subscription/{id}/test) belongs to no run. It is logged like the
-- others; with run_id null, the unique constraint on (subscription, run, event) does not apply
-- to it, so a subscription may be tested any number of times.
alter table webhook_deliveries alter column run_id drop not null;

-- hmac_secret now carries a format marker: "v1:<base64 of nonce, ciphertext and tag>" when
-- sealed with AES-GCM under DBT_PLATFORM_SECRET_KEY, "plain:<secret>" when stored unencrypted
-- because no key was set, and the bare secret in rows written before this migration. The
-- sealed form is longer than the secret.
alter table webhook_subscriptions alter column hmac_secret set data type varchar(512);

-- the retention pass's question: which finished deliveries are older than the retention
create index webhook_deliveries_created_idx on webhook_deliveries (created_at);
