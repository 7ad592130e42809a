-- Outbound webhooks (dbt Cloud's v3 webhook subscriptions) and the deliveries they make.

-- A subscription: where to send which run events of which jobs. public_id is the id clients see
-- ("wsu_..."), as dbt Cloud's ids are strings. event_types and job_ids are comma-joined lists
-- (job_ids empty = every job of the account). hmac_secret signs every delivery, so it is kept
-- as it was given out (a hash could not sign); the API shows it only in the answer to the create.
create table webhook_subscriptions (
  id               bigserial     not null,
  public_id        varchar(32)   not null,
  account_id       bigint        not null,
  name             varchar(255)  not null,
  description      text,
  client_url       varchar(2048) not null,
  event_types      varchar(255)  not null,
  job_ids          text          not null,
  active           boolean       not null,
  hmac_secret      varchar(128)  not null,
  http_status_code integer       not null default 0,
  dispatched_at    timestamptz,
  created_at       timestamptz   not null default now(),
  updated_at       timestamptz   not null default now(),
  constraint webhook_subscriptions_pk primary key (id),
  constraint webhook_subscriptions_account_fk foreign key (account_id) references accounts (id) on delete cascade,
  constraint webhook_subscriptions_public_id_uq unique (public_id)
);

create index webhook_subscriptions_account_idx on webhook_subscriptions (account_id, id);

-- One event of one run for one subscription. The unique constraint is what makes each event go
-- out once, however many API replicas record the run and however often. payload is the exact
-- body sent (and signed) on every attempt. status: pending, delivered, failed (gave up, or the
-- receiver refused it), skipped (the subscription was inactive when it was due).
create table webhook_deliveries (
  id               bigserial    not null,
  subscription_id  bigint       not null,
  account_id       bigint       not null,
  run_id           bigint       not null,
  event_type       varchar(32)  not null,
  event_id         varchar(40)  not null,
  payload          text         not null,
  status           varchar(16)  not null,
  attempts         integer      not null default 0,
  next_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz  not null default now(),
  constraint webhook_deliveries_pk primary key (id),
  constraint webhook_deliveries_subscription_fk foreign key (subscription_id)
    references webhook_subscriptions (id) on delete cascade,
  constraint webhook_deliveries_event_uq unique (subscription_id, run_id, event_type)
);

-- the delivery workers' question: which pending deliveries are due
create index webhook_deliveries_due_idx on webhook_deliveries (status, next_attempt_at);
create index webhook_deliveries_subscription_idx on webhook_deliveries (subscription_id, id);

-- Every attempt of a delivery and how it ended: the receiver's status code, or why none came.
create table webhook_delivery_attempts (
  id           bigserial   not null,
  delivery_id  bigint      not null,
  attempt      integer     not null,
  started_at   timestamptz not null,
  duration_ms  bigint      not null,
  status_code  integer,
  error        text,
  constraint webhook_delivery_attempts_pk primary key (id),
  constraint webhook_delivery_attempts_delivery_fk foreign key (delivery_id)
    references webhook_deliveries (id) on delete cascade
);

create index webhook_delivery_attempts_delivery_idx on webhook_delivery_attempts (delivery_id, attempt);
