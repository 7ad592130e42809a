-- Accounts own a Kubernetes namespace, users, the numeric ids of their custom resources, run
-- history and an audit log of API writes.

-- The namespace holding the account's DbtProjects, DbtEnvironments, DbtJobs and DbtRuns.
alter table accounts add column namespace varchar(253);
alter table accounts add constraint accounts_namespace_uq unique (namespace);

create table users (
  id         bigserial    not null,
  account_id bigint       not null,
  email      varchar(320) not null,
  name       varchar(255),
  created_at timestamptz  not null default now(),
  constraint users_pk primary key (id),
  constraint users_account_fk foreign key (account_id) references accounts (id) on delete cascade,
  constraint users_email_uq unique (account_id, email)
);

-- A token may act for a user (develop sessions); service tokens have none.
alter table service_tokens add column user_id bigint;
alter table service_tokens add constraint service_tokens_user_fk
  foreign key (user_id) references users (id) on delete cascade;

-- dbt Cloud names projects, environments and jobs by number; here they are custom resources
-- named by namespace and name. An id stays with its name, so a resource that GitOps deletes and
-- re-creates under the same name keeps the id that Airflow DAGs and Terraform state refer to.
create table object_ids (
  id         bigserial    not null,
  account_id bigint       not null,
  kind       varchar(32)  not null,
  namespace  varchar(253) not null,
  name       varchar(253) not null,
  created_at timestamptz  not null default now(),
  constraint object_ids_pk primary key (id),
  constraint object_ids_account_fk foreign key (account_id) references accounts (id) on delete cascade,
  constraint object_ids_name_uq unique (kind, namespace, name)
);

-- One row per run, kept in step with the DbtRun's status by the history recorder; it outlives
-- the custom resource. Project, environment and job are numeric ids without foreign keys: runs
-- stay in history after their job is deleted.
create table runs (
  id                bigserial     not null,
  account_id        bigint        not null,
  namespace         varchar(253)  not null,
  name              varchar(253)  not null,
  uid               varchar(64),
  job_id            bigint,
  project_id        bigint,
  environment_id    bigint,
  job_name          varchar(253),
  environment_name  varchar(253),
  project_name      varchar(253),
  trigger_cause     varchar(255)  not null,
  trigger_category  varchar(32)   not null,
  trigger_overrides text,
  rerun_of          bigint,
  status            smallint      not null,
  phase             varchar(16)   not null,
  reason            varchar(64),
  status_message    text,
  git_branch        varchar(255),
  git_sha           varchar(64),
  created_at        timestamptz   not null,
  started_at        timestamptz,
  finished_at       timestamptz,
  queued_seconds    double precision,
  prep_seconds      double precision,
  run_seconds       double precision,
  steps             text,
  logs_bucket       varchar(255),
  logs_prefix       varchar(1024),
  artifacts_saved   boolean       not null default false,
  updated_at        timestamptz   not null default now(),
  constraint runs_pk primary key (id),
  constraint runs_account_fk foreign key (account_id) references accounts (id) on delete cascade,
  constraint runs_uid_uq unique (uid),
  constraint runs_name_uq unique (namespace, name, uid)
);

create index runs_account_idx on runs (account_id, id);
create index runs_job_idx on runs (account_id, job_id, id);
create index runs_finished_idx on runs (account_id, finished_at);

-- Every change of a run's phase and reason, in the order the recorder saw them.
create table run_status_changes (
  id          bigserial   not null,
  run_id      bigint      not null,
  status      smallint    not null,
  phase       varchar(16) not null,
  reason      varchar(64) not null,
  message     text,
  recorded_at timestamptz not null default now(),
  constraint run_status_changes_pk primary key (id),
  constraint run_status_changes_run_fk foreign key (run_id) references runs (id) on delete cascade,
  constraint run_status_changes_uq unique (run_id, phase, reason)
);

-- Every API request that changes something: who, what, and how it ended.
create table audit_log (
  id          bigserial     not null,
  account_id  bigint        not null,
  token_id    bigint,
  method      varchar(8)    not null,
  path        varchar(1024) not null,
  status_code integer       not null,
  object_kind varchar(32),
  object_id   bigint,
  at          timestamptz   not null default now(),
  constraint audit_log_pk primary key (id),
  constraint audit_log_account_fk foreign key (account_id) references accounts (id) on delete cascade
);

create index audit_log_account_idx on audit_log (account_id, at);
