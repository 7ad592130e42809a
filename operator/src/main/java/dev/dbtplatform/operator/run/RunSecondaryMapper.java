package dev.dbtplatform.operator.run;

import dev.dbtplatform.operator.resources.RunLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Set;

/**
 * Maps a pod, volume or Job to its DbtRun through the run-name annotation, which every object the
 * operator creates carries, including the pods of log-flush Jobs (owned by the Job, not the run).
 */
final class RunSecondaryMapper<R extends HasMetadata> implements SecondaryToPrimaryMapper<R> {
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(R resource) {
    return RunLabels.runName(resource)
        .map(name -> Set.of(new ResourceID(name, resource.getMetadata().getNamespace())))
        .orElse(Set.of());
  }
}
