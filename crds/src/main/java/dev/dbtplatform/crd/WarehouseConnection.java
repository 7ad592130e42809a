package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The data warehouse dbt runs against. The Secret's keys become the fields of the dbt profile
 * output (host, port, user, password, dbname, schema for postgres).
 */
public class WarehouseConnection {
  @Required
  @Pattern("^[a-z][a-z0-9_]*$")
  @JsonPropertyDescription("dbt adapter type: postgres, duckdb, snowflake, bigquery, redshift, databricks, ...")
  public String type;

  @Required
  @JsonPropertyDescription("Secret whose keys are the profile fields of the connection.")
  public ObjectRef secretRef;

  public WarehouseConnection() {}

  public WarehouseConnection(String type, String secretName) {
    this.type = type;
    this.secretRef = ObjectRef.named(secretName);
  }
}
