package dev.dbtplatform.operator.job;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.WarehouseConnection;

/** Objects the scheduler tests start from. */
final class JobTestResources {
  private JobTestResources() {}

  /** The environment the tests' jobs run in: {@code prod}, of project {@code shop}. */
  static DbtEnvironment prodEnvironment(String namespace) {
    DbtEnvironment env = new DbtEnvironment();
    env.getMetadata().setName("prod");
    env.getMetadata().setNamespace(namespace);
    env.setSpec(new DbtEnvironmentSpec());
    env.getSpec().projectRef = ObjectRef.named("shop");
    env.getSpec().warehouse = new WarehouseConnection("postgres", "warehouse-credentials");
    return env;
  }
}
