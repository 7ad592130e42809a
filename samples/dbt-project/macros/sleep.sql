{#-
  Keeps a warehouse session busy for a while, to try timeouts and cancellation:
    dbt run-operation sleep --args '{seconds: 60}'
-#}
{% macro sleep(seconds=1) %}
    {{ log("Sleeping " ~ seconds ~ " seconds in the warehouse", info=True) }}
    {% do run_query("select pg_sleep(" ~ (seconds | float) ~ ")") %}
    {{ log("Slept " ~ seconds ~ " seconds", info=True) }}
{% endmacro %}
