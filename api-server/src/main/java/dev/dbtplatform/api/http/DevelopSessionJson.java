package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.runs.RunTimes;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtDevelopSessionSpec;
import dev.dbtplatform.crd.DbtDevelopSessionStatus;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DevelopPhase;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A develop session as the API shows it. The state is the operator's phase in lower case; a
 * session the operator has not looked at yet is pending. {@code ide_url} is where the session's
 * runtime is reached through the API (see {@link DevelopProxy}).
 */
final class DevelopSessionJson {
  private DevelopSessionJson() {}

  static Map<String, Object> toJson(DevelopSessions sessions, Account account, long id, DbtDevelopSession session,
                                    String baseUrl) {
    DbtDevelopSessionSpec spec = session.getSpec() == null ? new DbtDevelopSessionSpec() : session.getSpec();
    DbtDevelopSessionStatus status = session.getStatus() == null ? new DbtDevelopSessionStatus() : session.getStatus();
    String environment = spec.environmentRef == null ? null : spec.environmentRef.name;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("account_id", account.id());
    m.put("name", session.getMetadata().getName());
    m.put("environment_id", environmentId(sessions, account, session, environment));
    m.put("project_id", projectId(sessions, account, session, environment));
    m.put("user", spec.user);
    m.put("user_email", spec.userEmail);
    m.put("credentials_secret_name", spec.credentialsSecretRef == null ? null : spec.credentialsSecretRef.name);
    m.put("git_branch", spec.gitBranch);
    m.put("idle_timeout_seconds", spec.idleTimeoutSeconds);
    m.put("state", state(status.phase));
    m.put("state_message", status.phase == null
        ? "Waiting for the operator to start the session." : status.message);
    m.put("reason", status.reason);
    m.put("last_activity_at", AccountsApi.timestamp(lastActivity(session, status)));
    m.put("created_at", AccountsApi.timestamp(ApiMetadata.created(session)));
    m.put("ready_at", AccountsApi.timestamp(RunTimes.parse(status.readyAt)));
    m.put("stopped_at", AccountsApi.timestamp(RunTimes.parse(status.stoppedAt)));
    m.put("resumes", status.resumes == null ? 0 : status.resumes);
    m.put("ide_url", baseUrl + ideBase(account, id));
    return m;
  }

  /** The path every request to the session's runtime starts with. */
  static String ideBase(Account account, long id) {
    return "/api/v3/accounts/" + account.id() + "/develop/sessions/" + id + "/ide/";
  }

  static String state(DevelopPhase phase) {
    return phase == null ? "pending" : phase.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The later of what the operator last saw and what the API last wrote: the annotation is ahead
   * of the status until the operator has reconciled it.
   */
  private static OffsetDateTime lastActivity(DbtDevelopSession session, DbtDevelopSessionStatus status) {
    OffsetDateTime seen = RunTimes.parse(status.lastActivity);
    OffsetDateTime written = RunTimes.parse(ApiMetadata.annotation(session, ApiGroup.LAST_ACTIVITY_ANNOTATION));
    if (seen == null) {
      return written;
    }
    return written == null || seen.isAfter(written) ? seen : written;
  }

  private static Long environmentId(DevelopSessions sessions, Account account, DbtDevelopSession session,
                                    String environment) {
    Long labelled = label(session, ApiGroup.ENVIRONMENT_ID_LABEL);
    if (labelled != null || environment == null) {
      return labelled;
    }
    return sessions.environments.idOf(account, environment);
  }

  /** From the label the API set; for sessions made with kubectl, from their environment while it exists. */
  private static Long projectId(DevelopSessions sessions, Account account, DbtDevelopSession session,
                                String environment) {
    Long labelled = label(session, ApiGroup.PROJECT_ID_LABEL);
    if (labelled != null || environment == null) {
      return labelled;
    }
    DbtEnvironment env = sessions.environments.find(account, environment).orElse(null);
    String project = env == null || env.getSpec() == null || env.getSpec().projectRef == null
        ? null : env.getSpec().projectRef.name;
    return project == null ? null : sessions.projects.idOf(account, project);
  }

  private static Long label(DbtDevelopSession session, String key) {
    Map<String, String> labels = session.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(key);
    try {
      return value == null ? null : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null; // a hand-written label
    }
  }
}
