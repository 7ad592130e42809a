package dev.dbtplatform.operator.resources;

import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** Builds the run volume: the checkout, step logs and artifacts live there until flushed. */
public final class RunVolumeFactory {
  private RunVolumeFactory() {}

  public static PersistentVolumeClaim build(DbtRun run, String size, String storageClass) {
    return new PersistentVolumeClaimBuilder()
        .withMetadata(RunLabels.metadata(run, ResourceNames.runVolume(run.getMetadata().getName()), RunLabels.COMPONENT_RUN))
        .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(storageClass)
          .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
        .endSpec()
        .build();
  }
}
