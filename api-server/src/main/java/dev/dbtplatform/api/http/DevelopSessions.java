package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.api.db.User;
import dev.dbtplatform.api.develop.ActivityReporter;
import dev.dbtplatform.api.develop.DevelopSettings;
import dev.dbtplatform.api.develop.RuntimeTokens;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtProject;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The develop sessions of the account's namespace as a user of it sees them: only their own. A
 * session belongs to the user its spec names (spec.user, the username), whether the API or
 * kubectl made it; another user's session answers exactly like a missing one. One per server: it
 * holds what must outlive a request (when activity was last written, runtime tokens).
 */
final class DevelopSessions {
  static final String WHAT = "Develop sessions";

  final AccountResources<DbtDevelopSession> resources;
  final AccountResources<DbtEnvironment> environments;
  final AccountResources<DbtProject> projects;
  final ActivityReporter activity;
  final RuntimeTokens tokens;
  final DevelopSettings settings;
  private final ApiServices services;

  DevelopSessions(ApiServices services) {
    this.services = services;
    this.settings = services.develop();
    this.resources = new AccountResources<>(services, DbtDevelopSession.class, Kind.DbtDevelopSession, "develop session");
    this.environments = new AccountResources<>(services, DbtEnvironment.class, Kind.DbtEnvironment, "environment");
    this.projects = new AccountResources<>(services, DbtProject.class, Kind.DbtProject, "project");
    this.activity = new ActivityReporter(services.cluster(), services.clock(), settings.activityInterval());
    this.tokens = new RuntimeTokens(services.cluster());
  }

  ApiServices services() {
    return services;
  }

  /** The user's session with this id; a missing one and another user's are the same 404. */
  DbtDevelopSession own(Account account, User user, long id) {
    return resources.find(account, id).filter(s -> isOwnedBy(s, user)).orElseThrow(() -> resources.notFound(id));
  }

  /** The user's sessions, by id. */
  List<Owned> own(Account account, User user) {
    List<DbtDevelopSession> mine = resources.list(account).stream().filter(s -> isOwnedBy(s, user)).toList();
    Map<String, Long> ids = resources.idsOf(account, mine);
    return mine.stream()
        .map(s -> new Owned(ids.get(s.getMetadata().getName()), s))
        .sorted(Comparator.comparingLong(Owned::id))
        .toList();
  }

  record Owned(long id, DbtDevelopSession session) {}

  /** The session as it is now, or null when it is gone (or was deleted and made again under its name). */
  DbtDevelopSession reread(DbtDevelopSession session) {
    DbtDevelopSession now = Cluster.call(() -> services.cluster().resources(DbtDevelopSession.class)
        .inNamespace(session.getMetadata().getNamespace()).withName(session.getMetadata().getName()).get());
    return now == null || !now.getMetadata().getUid().equals(session.getMetadata().getUid()) ? null : now;
  }

  /**
   * A write to the session in the cluster: a session deleted in the meantime is a 404, anything
   * else as for every call to the cluster.
   */
  <T> T write(long id, String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw resources.notFound(id);
      }
      throw Cluster.refused(what, e);
    }
  }

  void write(long id, String what, Runnable call) {
    write(id, what, () -> {
      call.run();
      return null;
    });
  }

  static boolean isOwnedBy(DbtDevelopSession session, User user) {
    return session.getSpec() != null && user.username().equals(session.getSpec().user);
  }
}
