-- Accounts and the service tokens that act for them.
-- jOOQ's classes are generated from these scripts (DDLDatabase replays them in H2 at build
-- time): keep to SQL both understand, use varchar in UNIQUE constraints, name constraints.

create table accounts (
  id         bigserial    not null,
  name       varchar(255) not null,
  created_at timestamptz  not null default now(),
  constraint accounts_pk primary key (id)
);

-- A token is stored only as the hex SHA-256 of its plain value, shown once at creation.
-- token_prefix is the first characters of the plain token, for people to recognise it.
create table service_tokens (
  id           bigserial    not null,
  account_id   bigint       not null,
  name         varchar(255) not null,
  token_hash   varchar(64)  not null,
  token_prefix varchar(16)  not null,
  created_at   timestamptz  not null default now(),
  last_used_at timestamptz,
  constraint service_tokens_pk primary key (id),
  constraint service_tokens_account_fk foreign key (account_id) references accounts (id) on delete cascade,
  constraint service_tokens_token_hash_uq unique (token_hash)
);

create index service_tokens_account_idx on service_tokens (account_id);
