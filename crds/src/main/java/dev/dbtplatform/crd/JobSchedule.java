package dev.dbtplatform.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** When a job runs by the clock. */
public class JobSchedule {
  @Required
  @JsonPropertyDescription("Cron expression in UTC with five fields: minute hour day-of-month month day-of-week, for example '0 2 * * *'.")
  @ValidationRule(value = "self.matches('^\\\\S+(\\\\s+\\\\S+){4}$')",
      message = "cron has five fields separated by spaces: minute hour day-of-month month day-of-week")
  public String cron;

  public JobSchedule() {}

  public JobSchedule(String cron) {
    this.cron = cron;
  }
}
