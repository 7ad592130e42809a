package dev.dbtplatform.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where and how a project's dbt runs: warehouse connection, dbt version, target, threads. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("dbte")
public class DbtEnvironment extends CustomResource<DbtEnvironmentSpec, ResourceStatus> implements Namespaced {
}
