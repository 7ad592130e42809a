package dev.dbtplatform.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A dbt project: the git repository its code lives in. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("dbtp")
public class DbtProject extends CustomResource<DbtProjectSpec, ResourceStatus> implements Namespaced {
}
