{#-
  Fails on purpose, to try a failing run. Disabled unless asked for:
    dbt run --vars '{"include_broken": true}'
-#}
{{ config(enabled=var('include_broken', false)) }}

select
    order_id,
    no_such_column
from {{ ref('stg_orders') }}
