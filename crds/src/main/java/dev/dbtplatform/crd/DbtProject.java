package dev.dbtplatform.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A dbt project: the git repository its code lives in. It has no status: nothing to observe yet. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("dbtp")
@AdditionalPrinterColumn(name = "Repository", jsonPath = ".spec.git.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ref", jsonPath = ".spec.git.ref", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DbtProject extends CustomResource<DbtProjectSpec, Void> implements Namespaced {
}
