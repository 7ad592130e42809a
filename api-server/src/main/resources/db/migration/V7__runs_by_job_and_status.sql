-- A job's runs of one status, newest first, and how many there are: what clients poll for
-- ("the latest successful run of this job"). The list reads this index backwards and stops after
-- a page; the count of the page's total reads the index alone once the table is vacuumed.
create index runs_job_status_idx on runs (account_id, job_id, status, id);
