package dev.dbtplatform.bench.operator;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.crd.WarehouseConnection;
import dev.dbtplatform.operator.OperatorConfig;
import dev.dbtplatform.operator.resources.RunPodFactory;
import dev.dbtplatform.operator.run.Resolution;
import dev.dbtplatform.operator.run.RunResolver;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The runs the operator benchmarks start: each in the environment "prod" of the project "shop"
 * (what a run triggered through the API or kubectl without a job looks like), two dbt steps, no
 * job, so that no queueing rule holds one back behind another.
 */
public final class BenchRuns {
  public static final String NAMESPACE = "default";
  public static final List<String> STEPS = List.of("dbt seed", "dbt build");
  public static final String ACCOUNT = "7";

  private BenchRuns() {}

  public static DbtProject project() {
    DbtProject project = new DbtProject();
    project.getMetadata().setName("shop");
    project.getMetadata().setNamespace(NAMESPACE);
    project.setSpec(new DbtProjectSpec());
    project.getSpec().git = new GitSource();
    project.getSpec().git.url = "https://git.example.com/analytics/shop.git";
    project.getSpec().git.ref = "main";
    return project;
  }

  public static DbtEnvironment environment() {
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName("prod");
    env.getMetadata().setNamespace(NAMESPACE);
    env.getMetadata().setLabels(Map.of(ApiGroup.ACCOUNT_ID_LABEL, ACCOUNT));
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("shop");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
    env.getSpec().targetName = "prod";
    env.getSpec().threads = 8;
    return env;
  }

  /** Creates the project and environment every run refers to. */
  public static void applyEnvironment(KubernetesClient client) {
    client.resource(project()).create();
    client.resource(environment()).create();
  }

  public static DbtRun run(String name) {
    DbtRunSpec spec = new DbtRunSpec();
    spec.environmentRef = ObjectRef.named("prod");
    spec.steps = STEPS;
    spec.runReason = "Triggered via kubectl";
    return new DbtRun(NAMESPACE, name, spec);
  }

  /** The snapshot the operator resolves {@link #run} into. */
  public static ResolvedRun resolved(DbtRun run, OperatorConfig config) {
    RunResolver resolver = new RunResolver(config, (ns, name) -> Optional.of(project()),
        (ns, name) -> Optional.of(environment()), (ns, name) -> Optional.empty(), ns -> List.of(), Clock.systemUTC());
    return ((Resolution.Resolved) resolver.resolve(run)).run();
  }

  /** The very pod the operator would create for a run of this name (the run given a uid as if stored). */
  public static Pod pod(String runName, OperatorConfig config) {
    DbtRun run = run(runName);
    run.getMetadata().setUid(UUID.randomUUID().toString());
    return RunPodFactory.build(run, resolved(run, config), config);
  }
}
