package dev.dbtplatform.api.runs;

import dev.dbtplatform.crd.RunPhase;
import java.util.Arrays;
import java.util.Optional;

/** dbt Cloud's numeric run statuses and the DbtRun phase each one stands for. */
public enum RunStatus {
  QUEUED(1, "Queued", RunPhase.Queued),
  STARTING(2, "Starting", RunPhase.Starting),
  RUNNING(3, "Running", RunPhase.Running),
  SUCCESS(10, "Success", RunPhase.Succeeded),
  ERROR(20, "Error", RunPhase.Failed),
  CANCELLED(30, "Cancelled", RunPhase.Cancelled);

  public final int code;
  public final String humanized;
  public final RunPhase phase;

  RunStatus(int code, String humanized, RunPhase phase) {
    this.code = code;
    this.humanized = humanized;
    this.phase = phase;
  }

  public boolean isComplete() {
    return code >= 10;
  }

  public static RunStatus of(RunPhase phase) {
    if (phase == null) {
      return QUEUED;
    }
    return Arrays.stream(values()).filter(s -> s.phase == phase).findFirst().orElseThrow();
  }

  public static RunStatus ofPhaseName(String phase) {
    return phase == null ? QUEUED : of(RunPhase.valueOf(phase));
  }

  /** values() copies the array on every call; this is read for every run shown. */
  private static final RunStatus[] ALL = values();

  public static Optional<RunStatus> ofCode(int code) {
    for (RunStatus s : ALL) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
