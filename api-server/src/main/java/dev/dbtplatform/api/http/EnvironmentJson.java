package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DbtEnvironment as dbt Cloud's v3 environment object. dbt Cloud keeps the warehouse in a
 * connection and credentials; here it is the environment's {@code warehouse}: the adapter type and
 * the Secret holding the profile fields, shown as this platform's extension along with
 * {@code threads} and {@code target_name}.
 */
final class EnvironmentJson {
  static final int DEFAULT_THREADS = 4;
  static final String DEFAULT_TARGET = "default";

  private EnvironmentJson() {}

  static Map<String, Object> toJson(Account account, long id, Long projectId, DbtEnvironment env) {
    DbtEnvironmentSpec spec = env.getSpec() == null ? new DbtEnvironmentSpec() : env.getSpec();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("account_id", account.id());
    m.put("project_id", projectId);
    m.put("name", ApiMetadata.displayName(env));
    m.put("type", (spec.type == null ? DbtEnvironmentSpec.Type.deployment : spec.type).name());
    m.put("dbt_version", DbtVersions.shown(ApiMetadata.annotation(env, ApiGroup.REQUESTED_DBT_VERSION_ANNOTATION),
        spec.dbtVersion));
    m.put("deployment_type", ApiMetadata.annotation(env, ApiGroup.DEPLOYMENT_TYPE_ANNOTATION));
    m.put("custom_branch", spec.customBranch);
    m.put("use_custom_branch", spec.customBranch != null);
    m.put("credentials_id", null);
    m.put("connection_id", null);
    m.put("state", 1);
    m.put("created_at", AccountsApi.timestamp(ApiMetadata.created(env)));
    m.put("updated_at", AccountsApi.timestamp(ApiMetadata.updated(env)));
    m.put("warehouse", warehouse(spec));
    m.put("threads", threads(spec));
    m.put("target_name", targetName(spec));
    return m;
  }

  /** The threads runs get when the job sets none: the CRD's default when the spec sets none. */
  static int threads(DbtEnvironmentSpec spec) {
    return spec.threads == null ? DEFAULT_THREADS : spec.threads;
  }

  static String targetName(DbtEnvironmentSpec spec) {
    return spec.targetName == null ? DEFAULT_TARGET : spec.targetName;
  }

  private static Map<String, Object> warehouse(DbtEnvironmentSpec spec) {
    if (spec.warehouse == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", spec.warehouse.type);
    m.put("secret_name", spec.warehouse.secretRef == null ? null : spec.warehouse.secretRef.name);
    return m;
  }
}
