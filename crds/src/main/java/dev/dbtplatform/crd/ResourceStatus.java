package dev.dbtplatform.crd;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status of a resource that describes rather than runs: the generation seen and its conditions. */
public class ResourceStatus {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
}
