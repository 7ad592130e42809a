package dev.dbtplatform.crd;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status of the resources that describe rather than run: the generation seen and conditions. */
public class ResourceStatus {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
}
