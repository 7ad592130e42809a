-- Whether a finished run still has logs and artifacts on its volume, waiting for the log flush.
-- The API shows such a run as still running for a while, because clients fetch artifacts the
-- moment a run is complete; a run that never got a volume has nothing to wait for.
alter table runs add column logs_pending boolean not null default false;
