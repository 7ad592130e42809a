package dev.dbtplatform.operator.develop;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionSpec;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.EnvVarSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a session and its environment and project into what the develop pod runs. Unlike a run,
 * a session is resolved at each start: a resumed session picks up the environment's current dbt
 * version and settings, as reopening dbt Cloud's IDE does.
 */
final class DevelopResolver {
  private final KubernetesClient client;
  private final OperatorConfig config;

  /** What the pod needs, or why there is none yet (waiting) or ever (invalid). */
  sealed interface Outcome permits Resolved, Waiting, Invalid {}

  record Resolved(DevelopConfig config, String image, String project, String credentialsSecret,
                  String gitCredentialsSecret) implements Outcome {}

  record Waiting(String message) implements Outcome {}

  record Invalid(String message) implements Outcome {}

  DevelopResolver(KubernetesClient client, OperatorConfig config) {
    this.client = client;
    this.config = config;
  }

  Outcome resolve(DbtDevelopSession session) {
    DbtDevelopSessionSpec spec = session.getSpec();
    String namespace = session.getMetadata().getNamespace();
    if (spec == null || blank(spec.user)) {
      return new Invalid("spec.user is missing");
    }
    if (spec.environmentRef == null || blank(spec.environmentRef.name)) {
      return new Invalid("spec.environmentRef.name is missing");
    }
    if (spec.credentialsSecretRef == null || blank(spec.credentialsSecretRef.name)) {
      return new Invalid("spec.credentialsSecretRef.name is missing: name the Secret with your development credentials");
    }
    DbtEnvironment environment = client.resources(DbtEnvironment.class).inNamespace(namespace)
        .withName(spec.environmentRef.name).get();
    if (environment == null) {
      return new Waiting("DbtEnvironment '" + spec.environmentRef.name + "' not found in namespace " + namespace);
    }
    DbtEnvironmentSpec env = environment.getSpec();
    if (env == null || env.type != DbtEnvironmentSpec.Type.development) {
      return new Invalid("DbtEnvironment '" + spec.environmentRef.name + "' is a deployment environment; develop "
          + "sessions use a development environment (spec.type: development)");
    }
    if (env.projectRef == null || blank(env.projectRef.name) || env.warehouse == null || blank(env.warehouse.type)) {
      return new Invalid("DbtEnvironment '" + spec.environmentRef.name + "' has no projectRef or warehouse type");
    }
    DbtProject project = client.resources(DbtProject.class).inNamespace(namespace).withName(env.projectRef.name).get();
    if (project == null) {
      return new Waiting("DbtProject '" + env.projectRef.name + "' not found in namespace " + namespace);
    }
    GitSource git = project.getSpec() == null ? null : project.getSpec().git;
    if (git == null || blank(git.url)) {
      return new Invalid("DbtProject '" + env.projectRef.name + "' has no git.url");
    }
    if (client.secrets().inNamespace(namespace).withName(spec.credentialsSecretRef.name).get() == null) {
      return new Waiting("Secret '" + spec.credentialsSecretRef.name + "' with the development credentials not found in "
          + "namespace " + namespace);
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (EnvVarSpec var : env.env == null ? java.util.List.<EnvVarSpec>of() : env.env) {
      vars.put(var.name, var.value == null ? "" : var.value);
    }
    String accountId = label(session, label(environment, label(project, config.defaultAccountId())));
    String branch = firstNonBlank(spec.gitBranch, env.customBranch, git.ref);
    DevelopConfig developConfig = new DevelopConfig(accountId, namespace, session.getMetadata().getName(), spec.user,
        spec.userEmail, git.url, branch, git.subdirectory, blank(env.targetName) ? "default" : env.targetName,
        env.threads == null ? 4 : env.threads, env.warehouse.type, vars, DevelopConfig.DEFAULT_PORT);
    String image = !blank(env.image) ? env.image : config.developImage(env.dbtVersion);
    String gitCredentials = git.credentialsSecretRef == null || blank(git.credentialsSecretRef.name)
        ? null : git.credentialsSecretRef.name;
    return new Resolved(developConfig, image, env.projectRef.name, spec.credentialsSecretRef.name, gitCredentials);
  }

  private static String label(io.fabric8.kubernetes.api.model.HasMetadata object, String otherwise) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(ApiGroup.ACCOUNT_ID_LABEL);
    return blank(value) ? otherwise : value;
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (!blank(v)) {
        return v;
      }
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
