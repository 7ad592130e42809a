package dev.dbtplatform.bench.scheduler;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtJobSpec;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtProjectSpec;
import dev.dbtplatform.crd.GitSource;
import dev.dbtplatform.crd.JobSchedule;
import dev.dbtplatform.crd.JobTriggers;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.WarehouseConnection;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the scheduler works on: a project, a production environment with its warehouse Secret
 * (what a job needs to be Ready, and its runs to resolve), the every-minute jobs and the many
 * jobs on rare schedules.
 */
final class JobFleet {
  static final String PROJECT = "shop";
  static final String ENVIRONMENT = "prod";
  static final String WAREHOUSE_SECRET = "warehouse-credentials";
  static final String EVERY_MINUTE = "*/1 * * * *";
  private static final int CREATE_THREADS = 4;

  private JobFleet() {}

  /** Names of the every-minute jobs, in the order created. */
  static List<String> everyMinuteJobNames(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      names.add(String.format("every-minute-%03d", i));
    }
    return names;
  }

  /**
   * Creates everything; {@code jobs} counts every DbtJob with a schedule, {@code everyMinute} of
   * them fire each minute, the others on schedules that keep quiet from {@code quietFrom} to
   * {@code quietUntil}.
   */
  static void create(KubernetesClient client, String namespace, int jobs, int everyMinute,
                     Instant quietFrom, Instant quietUntil) throws Exception {
    client.resource(new SecretBuilder().withNewMetadata().withName(WAREHOUSE_SECRET).withNamespace(namespace)
        .endMetadata().addToStringData("password", "bench").build()).create();
    client.resource(project(namespace)).create();
    client.resource(environment(namespace)).create();

    List<DbtJob> all = new ArrayList<>();
    for (String name : everyMinuteJobNames(everyMinute)) {
      all.add(new DbtJob(namespace, name, spec(EVERY_MINUTE)));
    }
    RareCrons rare = new RareCrons(jobs, quietFrom, quietUntil);
    for (int i = 1; i <= jobs - everyMinute; i++) {
      all.add(new DbtJob(namespace, String.format("job-%05d", i), spec(rare.next())));
    }
    ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
    try {
      List<Future<?>> creates = new ArrayList<>();
      for (DbtJob job : all) {
        creates.add(pool.submit(() -> client.resource(job).create()));
      }
      for (Future<?> create : creates) {
        create.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static DbtProject project(String namespace) {
    DbtProject project = new DbtProject();
    project.getMetadata().setName(PROJECT);
    project.getMetadata().setNamespace(namespace);
    project.setSpec(new DbtProjectSpec());
    project.getSpec().git = new GitSource();
    project.getSpec().git.url = "https://git.example.com/analytics/shop.git";
    project.getSpec().git.ref = "main";
    return project;
  }

  private static DbtEnvironment environment(String namespace) {
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName(ENVIRONMENT);
    env.getMetadata().setNamespace(namespace);
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named(PROJECT);
    env.getSpec().warehouse = new WarehouseConnection("postgres", WAREHOUSE_SECRET);
    return env;
  }

  private static DbtJobSpec spec(String cron) {
    DbtJobSpec spec = new DbtJobSpec();
    spec.environmentRef = ObjectRef.named(ENVIRONMENT);
    spec.steps = List.of("dbt build");
    spec.timeoutSeconds = 1800L;
    spec.triggers = new JobTriggers();
    spec.triggers.schedule = new JobSchedule(cron);
    return spec;
  }
}
