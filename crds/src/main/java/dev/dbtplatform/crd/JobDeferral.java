package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The state a job's runs defer to: one job's last run or one environment's, never both. */
@ValidationRule(value = "has(self.jobRef) != has(self.environmentRef)",
    message = "set exactly one of jobRef or environmentRef")
public class JobDeferral {
  @JsonPropertyDescription("DbtJob whose last successful run's artifacts are the state to defer to.")
  public ObjectRef jobRef;

  @JsonPropertyDescription("DbtEnvironment whose latest successful run's artifacts are the state to defer to.")
  public ObjectRef environmentRef;
}
