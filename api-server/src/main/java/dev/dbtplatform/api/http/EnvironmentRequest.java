package dev.dbtplatform.api.http;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.WarehouseConnection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a create or update body to a DbtEnvironment. A field absent from the body leaves the
 * environment as it is; a null or empty optional one clears it. The project is the one in the
 * path, never the body's; spec fields the API does not model (env, image, resources) stay.
 */
final class EnvironmentRequest {
  private static final Set<String> DEPLOYMENT_TYPES = Set.of("production", "staging");

  private EnvironmentRequest() {}

  static void apply(JsonBody body, DbtEnvironment env, boolean creating) {
    if (env.getSpec() == null) {
      env.setSpec(new DbtEnvironmentSpec());
    }
    DbtEnvironmentSpec spec = env.getSpec();
    if (body.present("name")) {
      ApiMetadata.setAnnotation(env, ApiGroup.DISPLAY_NAME_ANNOTATION, SpecRules.displayName(body));
    }
    type(body).ifPresent(type -> spec.type = type);
    if (body.present("dbt_version")) {
      DbtVersions.Requested version = DbtVersions.parse(body, "dbt_version");
      spec.dbtVersion = version.specVersion();
      ApiMetadata.setAnnotation(env, ApiGroup.REQUESTED_DBT_VERSION_ANNOTATION, version.asWritten());
    }
    if (body.present("deployment_type")) {
      ApiMetadata.setAnnotation(env, ApiGroup.DEPLOYMENT_TYPE_ANNOTATION, deploymentType(body));
    }
    customBranch(body, spec);
    warehouse(body, spec, creating);
    SpecRules.threads(body, "threads").ifPresent(threads -> spec.threads = threads);
    String target = SpecRules.targetName(body, "target_name");
    if (target != null) {
      spec.targetName = target;
    }
  }

  private static Optional<DbtEnvironmentSpec.Type> type(JsonBody body) {
    return body.string("type").map(t -> {
      try {
        return DbtEnvironmentSpec.Type.valueOf(t.strip().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw body.invalid("type", "must be 'deployment' or 'development', not '" + QueryParams.abbreviate(t) + "'.");
      }
    });
  }

  private static String deploymentType(JsonBody body) {
    String type = SpecRules.optionalText(body, "deployment_type");
    if (type != null && !DEPLOYMENT_TYPES.contains(type)) {
      throw body.invalid("deployment_type", "must be 'production', 'staging' or null, not '"
          + QueryParams.abbreviate(type) + "'.");
    }
    return type;
  }

  /**
   * dbt Cloud has a switch and a branch; the spec has the branch or none. Clients send the switch
   * off with an empty branch for "the project's ref".
   */
  private static void customBranch(JsonBody body, DbtEnvironmentSpec spec) {
    Optional<Boolean> use = body.bool("use_custom_branch");
    String branch = body.present("custom_branch") ? SpecRules.gitRef(body, "custom_branch") : spec.customBranch;
    if (use.isPresent() && !use.get()) {
      spec.customBranch = null;
    } else if (use.isPresent()) {
      if (branch == null) {
        throw body.invalid("custom_branch", "is required when 'use_custom_branch' is true.");
      }
      spec.customBranch = branch;
    } else if (body.present("custom_branch")) {
      spec.customBranch = branch;
    }
  }

  /** Required on create; on update, either half may change alone. */
  private static void warehouse(JsonBody body, DbtEnvironmentSpec spec, boolean creating) {
    Optional<JsonBody> given = body.object("warehouse");
    if (given.isEmpty()) {
      if (creating || body.present("warehouse")) {
        throw ApiException.badRequest("Set warehouse.type and warehouse.secret_name: the dbt adapter "
            + "(postgres, snowflake, bigquery, ...) and the Secret in the account's namespace whose keys are the "
            + "connection's profile fields, like {\"warehouse\": {\"type\": \"postgres\", "
            + "\"secret_name\": \"warehouse-credentials\"}}.");
      }
      return;
    }
    JsonBody w = given.get();
    WarehouseConnection current = spec.warehouse == null ? new WarehouseConnection() : spec.warehouse;
    String type = Optional.ofNullable(SpecRules.adapterType(w, "type")).orElse(creating ? null : current.type);
    String secret = Optional.ofNullable(SpecRules.objectName(w, "secret_name"))
        .orElse(creating || current.secretRef == null ? null : current.secretRef.name);
    if (type == null) {
      throw w.invalid("type", "is required: the dbt adapter, like 'postgres' or 'snowflake'.");
    }
    if (secret == null) {
      throw w.invalid("secret_name", "is required: the Secret whose keys are the connection's profile fields.");
    }
    spec.warehouse = new WarehouseConnection(type, secret);
  }
}
