package dev.dbtplatform.develop.workspace;

import dev.dbtplatform.contract.RunVolumeLayout;
import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.runtime.RunRuntime;
import java.nio.file.Path;

/**
 * The user's workspace: the git checkout on the long-lived volume, the dbt project in it, and a
 * private folder outside the volume for what must not outlive the process (profiles.yml, the git
 * askpass script, preview scratch). Not usable until it is {@link State#READY}: the checkout is
 * cloned in the background on first start.
 */
public final class Workspace {
  public enum State { PREPARING, READY, FAILED }

  private final Path checkout;
  private final Path projectDir;
  private final Path privateDir;
  private volatile State state = State.PREPARING;
  private volatile String problem;

  /**
   * @param volume the workspace volume
   * @param subdirectory the dbt project's folder inside the repository, null for the root
   * @param privateDir a folder only this process can read, outside the volume
   * @throws IllegalArgumentException when the subdirectory leaves the repository
   */
  public Workspace(Path volume, String subdirectory, Path privateDir) {
    this.checkout = volume.resolve(RunVolumeLayout.PROJECT_DIR).toAbsolutePath().normalize();
    this.projectDir = RunRuntime.projectDir(volume, subdirectory).toAbsolutePath().normalize();
    this.privateDir = privateDir;
  }

  /** The root of the git checkout; every path of the API is relative to it. */
  public Path checkout() {
    return checkout;
  }

  /** The folder with dbt_project.yml, where dbt runs. */
  public Path projectDir() {
    return projectDir;
  }

  /** The dbt project's folder relative to the checkout, "" when it is the checkout itself. */
  public String projectPath() {
    return checkout.relativize(projectDir).toString();
  }

  public Path privateDir() {
    return privateDir;
  }

  public State state() {
    return state;
  }

  /** Why the workspace is not ready, null when nothing went wrong. */
  public String problem() {
    return problem;
  }

  public void markReady() {
    problem = null;
    state = State.READY;
  }

  public void markFailed(String problem) {
    this.problem = problem;
    state = State.FAILED;
  }

  public void requireReady() {
    if (state != State.READY) {
      String message = state == State.FAILED
          ? "The workspace could not be prepared: " + problem + ". Retrying in the background."
          : "The workspace is still being prepared (cloning the repository); try again in a few seconds.";
      throw new DevelopException(DevelopException.Kind.NOT_READY, "workspace_not_ready", message, null);
    }
  }
}
