package dev.dbtplatform.operator.resources;

import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Labels, annotations and owner references of everything a run owns. */
public final class RunLabels {
  private RunLabels() {}

  /** Names the run exactly (labels are limited to 63 characters, names are not). */
  public static final String RUN_NAME_ANNOTATION = ApiGroup.GROUP + "/run-name";

  public static final String COMPONENT_RUN = "run";
  public static final String COMPONENT_LOG_FLUSH = "log-flush";

  /** The selector of every informer of the operator: it never caches objects that are not its own. */
  public static final String MANAGED_SELECTOR = ApiGroup.MANAGED_BY_LABEL + "=" + ApiGroup.MANAGED_BY;

  public static Map<String, String> labels(DbtRun run, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY);
    labels.put(ApiGroup.COMPONENT_LABEL, component);
    labels.put(ApiGroup.RUN_LABEL, ResourceNames.runLabelValue(run.getMetadata().getName()));
    return labels;
  }

  /** Metadata of an object the run owns: its name, the run's namespace, labels, annotation, owner. */
  public static ObjectMeta metadata(DbtRun run, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(run.getMetadata().getNamespace())
        .withLabels(labels(run, component))
        .withAnnotations(annotations(run))
        .withOwnerReferences(ownedBy(run))
        .build();
  }

  public static Map<String, String> annotations(DbtRun run) {
    return Map.of(RUN_NAME_ANNOTATION, run.getMetadata().getName());
  }

  public static OwnerReference ownedBy(DbtRun run) {
    return new OwnerReferenceBuilder()
        .withApiVersion(run.getApiVersion())
        .withKind(run.getKind())
        .withName(run.getMetadata().getName())
        .withUid(run.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  public static String component(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(ApiGroup.COMPONENT_LABEL);
  }

  public static Optional<String> runName(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(RUN_NAME_ANNOTATION));
  }

  /** Whether the object was created for this very run, not for an earlier run of the same name. */
  public static boolean isOwnedBy(HasMetadata object, DbtRun run) {
    return object.getMetadata().getOwnerReferences().stream()
        .anyMatch(ref -> run.getMetadata().getUid().equals(ref.getUid()));
  }
}
