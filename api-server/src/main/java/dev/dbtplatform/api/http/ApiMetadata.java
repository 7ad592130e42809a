package dev.dbtplatform.api.http;

import dev.dbtplatform.api.runs.RunTimes;

import dev.dbtplatform.crd.ApiGroup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * What the API keeps in and reads from an object's metadata: the free-text name and description
 * (annotations, since Kubernetes names are DNS labels), the numeric-id labels, and the times.
 */
final class ApiMetadata {
  private ApiMetadata() {}

  /** The API name: the display-name annotation, else the Kubernetes name (objects made with kubectl). */
  static String displayName(HasMetadata r) {
    String name = annotation(r, ApiGroup.DISPLAY_NAME_ANNOTATION);
    return name == null || name.isBlank() ? r.getMetadata().getName() : name;
  }

  static String description(HasMetadata r) {
    return annotation(r, ApiGroup.DESCRIPTION_ANNOTATION);
  }

  static String annotation(HasMetadata r, String key) {
    Map<String, String> annotations = r.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  /** Sets an annotation; null or blank removes it. */
  static void setAnnotation(HasMetadata r, String key, String value) {
    ObjectMeta meta = r.getMetadata();
    Map<String, String> annotations = meta.getAnnotations() == null ? new HashMap<>() : new HashMap<>(meta.getAnnotations());
    if (value == null || value.isBlank()) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
    meta.setAnnotations(annotations);
  }

  /** Sets a numeric-id label; null removes it. */
  static void setIdLabel(HasMetadata r, String key, Long id) {
    ObjectMeta meta = r.getMetadata();
    Map<String, String> labels = meta.getLabels() == null ? new HashMap<>() : new HashMap<>(meta.getLabels());
    if (id == null) {
      labels.remove(key);
    } else {
      labels.put(key, Long.toString(id));
    }
    meta.setLabels(labels);
  }

  static OffsetDateTime created(HasMetadata r) {
    return RunTimes.parse(r.getMetadata().getCreationTimestamp());
  }

  /**
   * When the object last changed, as far as the cluster tells: the newest time among its managed
   * fields (every write records one), else its creation.
   */
  static OffsetDateTime updated(HasMetadata r) {
    OffsetDateTime latest = created(r);
    if (r.getMetadata().getManagedFields() != null) {
      for (ManagedFieldsEntry entry : r.getMetadata().getManagedFields()) {
        OffsetDateTime t = RunTimes.parse(entry.getTime());
        if (t != null && (latest == null || t.isAfter(latest))) {
          latest = t;
        }
      }
    }
    return latest;
  }
}
