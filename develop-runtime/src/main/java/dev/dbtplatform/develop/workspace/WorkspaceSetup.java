package dev.dbtplatform.develop.workspace;

import dev.dbtplatform.develop.dbt.PackageInstaller;
import dev.dbtplatform.develop.git.GitAccess;
import dev.dbtplatform.runtime.SecretMasker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the workspace ready in the background while the server already answers (health says 503
 * until then): on first start it clones the repository; on a resumed session it keeps the checkout
 * exactly as it is, uncommitted edits and all. Then it installs missing packages. A failed clone
 * (remote down, credentials not yet there) is retried with a growing wait instead of ending the
 * pod, and health says why meanwhile.
 */
public final class WorkspaceSetup {
  private static final Logger LOG = LoggerFactory.getLogger(WorkspaceSetup.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(5);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  private final Workspace workspace;
  private final GitAccess git;
  private final PackageInstaller packages;
  private final SecretMasker masker;
  private volatile Thread thread;

  public WorkspaceSetup(Workspace workspace, GitAccess git, PackageInstaller packages, SecretMasker masker) {
    this.workspace = workspace;
    this.git = git;
    this.packages = packages;
    this.masker = masker;
  }

  public void startInBackground() {
    Thread t = new Thread(this::prepareUntilReady, "workspace-setup");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  public void stop() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void prepareUntilReady() {
    Duration wait = FIRST_RETRY;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        prepare();
        workspace.markReady();
        LOG.info("The workspace is ready: {}", workspace.checkout());
        return;
      } catch (Exception e) {
        String problem = masker.mask(String.valueOf(e.getMessage()));
        workspace.markFailed(problem);
        LOG.warn("Cannot prepare the workspace ({}); trying again in {}s", problem, wait.toSeconds());
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
    }
  }

  private void prepare() throws Exception {
    if (git.hasCheckout()) {
      LOG.info("Resuming the workspace: the checkout is kept as it is");
    } else {
      git.cloneRepository();
    }
    packages.installIfMissing();
  }
}
