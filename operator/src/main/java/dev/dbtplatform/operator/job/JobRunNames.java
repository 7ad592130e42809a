package dev.dbtplatform.operator.job;

import dev.dbtplatform.operator.resources.ResourceNames;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names of the runs the scheduler creates. The name is what makes a fire happen once: it is the
 * same for every operator, replica and retry that handles the fire, so the second create answers
 * AlreadyExists. Names are kept to 63 characters (the run's name becomes label values); longer
 * ones are shortened with a hash of the whole, so distinct fires keep distinct names.
 */
public final class JobRunNames {
  private JobRunNames() {}

  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  /** {@code <job>-<yyyyMMddHHmm>} of the fire time in UTC; cron fires on whole minutes. */
  public static String scheduled(String job, Instant fire) {
    return ResourceNames.fit(job + "-" + MINUTE.format(fire), ResourceNames.LABEL_LIMIT);
  }

  /** {@code <job>-after-<upstream run>}: one run of the job per run that triggered it. */
  public static String triggered(String job, String upstreamRun) {
    return ResourceNames.fit(job + "-after-" + upstreamRun, ResourceNames.LABEL_LIMIT);
  }
}
