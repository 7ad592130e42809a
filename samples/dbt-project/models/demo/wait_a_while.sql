-- A model that takes a while, for trying out cancelling and timeouts; enabled only with
--   dbt run --select wait_a_while --vars '{include_slow: true, sleep_seconds: 60}'
{{ config(enabled=var('include_slow', false), materialized='table') }}

select 1 as id
from (select pg_sleep({{ var('sleep_seconds', 60) }})) as waited
