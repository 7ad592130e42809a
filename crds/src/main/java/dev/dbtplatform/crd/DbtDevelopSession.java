package dev.dbtplatform.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One user's dbt workspace: a develop pod serving files, git and dbt over the user's own volume.
 * The pod stops after the idle timeout and comes back on the next request; the volume stays.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("dbtds")
@AdditionalPrinterColumn(name = "User", jsonPath = ".spec.user", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Environment", jsonPath = ".spec.environmentRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last activity", jsonPath = ".status.lastActivity", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DbtDevelopSession extends CustomResource<DbtDevelopSessionSpec, DbtDevelopSessionStatus> implements Namespaced {

  public DbtDevelopSession() {}

  public DbtDevelopSession(String namespace, String name, DbtDevelopSessionSpec spec) {
    getMetadata().setNamespace(namespace);
    getMetadata().setName(name);
    setSpec(spec);
  }
}
