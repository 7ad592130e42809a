package dev.dbtplatform.operator.cleanup;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.operator.resources.ResourceNames;
import dev.dbtplatform.operator.resources.RunLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;
import java.util.Optional;

/** Which run a run volume belongs to, read from the owner reference the operator put on it. */
final class RunVolumes {
  private static final String KIND = HasMetadata.getKind(DbtRun.class);

  private RunVolumes() {}

  /** The selector of run volumes (and run pods, which carry the same labels but are not listed here). */
  static final String SELECTOR = RunLabels.MANAGED_SELECTOR + "," + ApiGroup.COMPONENT_LABEL + "=" + RunLabels.COMPONENT_RUN;

  /** The DbtRun owner of the volume; empty when it has none (then nobody can say whose it is). */
  static Optional<OwnerReference> owner(PersistentVolumeClaim volume) {
    List<OwnerReference> refs = volume.getMetadata().getOwnerReferences();
    return refs == null ? Optional.empty() : refs.stream()
        .filter(ref -> KIND.equals(ref.getKind()) && ref.getUid() != null && ref.getName() != null)
        .findFirst();
  }

  /** Whether the volume is this run's: owned by its UID, or carrying the name the run's volume gets. */
  static boolean belongsTo(PersistentVolumeClaim volume, DbtRun run) {
    if (!run.getMetadata().getNamespace().equals(volume.getMetadata().getNamespace())) {
      return false;
    }
    boolean ownedByRun = owner(volume).filter(ref -> ref.getUid().equals(run.getMetadata().getUid())).isPresent();
    return ownedByRun || ResourceNames.runVolume(run.getMetadata().getName()).equals(volume.getMetadata().getName());
  }
}
