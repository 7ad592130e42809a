package dev.dbtplatform.api.history;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.RunHistory;
import dev.dbtplatform.crd.DbtRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps run history in PostgreSQL in step with the DbtRuns in the cluster: every add, change and
 * delete of a DbtRun in a namespace that an account owns is recorded, so a run's history outlives
 * its custom resource. Recording is idempotent, and the informer's periodic resync hands every
 * run over again, so a database that was down catches up on its own.
 */
public final class RunHistoryRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunHistoryRecorder.class);
  static final Duration RESYNC = Duration.ofMinutes(5);

  private final AccountRepository accounts;
  private final RunHistory history;
  private final RunObservations observations;
  private final Map<String, Long> accountOfNamespace = new ConcurrentHashMap<>();
  private final Set<String> unownedNamespacesLogged = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<DbtRun> informer;

  public RunHistoryRecorder(AccountRepository accounts, ObjectIds ids, RunHistory history) {
    this.accounts = accounts;
    this.history = history;
    this.observations = new RunObservations(ids);
  }

  /** Starts watching DbtRuns in every namespace; returns once the first listing is recorded. */
  public RunHistoryRecorder start(KubernetesClient client) {
    informer = client.resources(DbtRun.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(DbtRun run) {
        record(run);
      }

      @Override
      public void onUpdate(DbtRun before, DbtRun after) {
        record(after);
      }

      @Override
      public void onDelete(DbtRun run, boolean finalStateUnknown) {
        record(run);
      }
    }, RESYNC.toMillis());
    return this;
  }

  /** Records one run's current state; failures are logged, the next event or resync retries. */
  public void record(DbtRun run) {
    String namespace = run.getMetadata().getNamespace();
    try {
      Optional<Long> account = accountOf(namespace);
      if (account.isEmpty()) {
        if (unownedNamespacesLogged.add(namespace)) {
          LOG.info("DbtRuns in namespace {} belong to no account: not recorded in run history", namespace);
        }
        return;
      }
      history.record(observations.observe(account.get(), run));
    } catch (RuntimeException e) {
      LOG.warn("cannot record DbtRun {}/{} in run history (retried at the next change or resync): {}",
          namespace, run.getMetadata().getName(), e.toString());
    }
  }

  private Optional<Long> accountOf(String namespace) {
    Long cached = accountOfNamespace.get(namespace);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Long> found = accounts.findByNamespace(namespace).map(Account::id);
    found.ifPresent(id -> accountOfNamespace.put(namespace, id));
    return found;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
