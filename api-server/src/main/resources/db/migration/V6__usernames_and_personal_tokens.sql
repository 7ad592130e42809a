-- Users by username, and personal tokens that act for them (develop sessions).
--
-- V2 made the users table keyed by email, and service_tokens.user_id (a foreign key to users, on
-- delete cascade), but nothing wrote either yet. A develop session names its user by a username
-- (DbtDevelopSession spec.user: the pod's owner and the author of its commits), unique in the
-- account; the email is optional, and only for commits.
alter table users add column username varchar(128);
-- rows from before this migration (none are expected: nothing created users) keep their email as username
update users set username = substring(email from 1 for 128) where username is null;
alter table users alter column username set not null;
alter table users alter column email drop not null;
alter table users add constraint users_username_uq unique (account_id, username);

-- A token with a user_id is that user's personal token; without one it is a service token. The
-- index serves the cascade when a user is deleted.
create index service_tokens_user_idx on service_tokens (user_id);
