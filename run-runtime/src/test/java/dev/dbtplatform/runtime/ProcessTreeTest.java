package dev.dbtplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {
  @Test
  void stopsAProcessAndItsChildrenWithSigterm() throws Exception {
    Process shell = new ProcessBuilder("sh", "-c", "sleep 60 & sleep 60 & wait").start();
    List<ProcessHandle> children = awaitChildren(shell, 2);

    assertThat(ProcessTree.stop(shell.toHandle(), Duration.ofSeconds(10))).isTrue();

    assertThat(shell.waitFor(5, TimeUnit.SECONDS)).isTrue();
    // Killed orphans may linger as zombies until someone reaps them: they no longer run.
    assertThat(children).noneMatch(ProcessTree::isRunning);
  }

  @Test
  void killsWhatIgnoresSigterm() throws Exception {
    // An ignored signal stays ignored in the children too.
    Process shell = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 60 & sleep 60 & wait").start();
    List<ProcessHandle> children = awaitChildren(shell, 2);
    long started = System.nanoTime();

    assertThat(ProcessTree.stop(shell.toHandle(), Duration.ofSeconds(1))).isFalse();

    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(8);
    assertThat(shell.waitFor(5, TimeUnit.SECONDS)).isTrue();
    // Killed orphans may linger as zombies until someone reaps them: they no longer run.
    assertThat(children).noneMatch(ProcessTree::isRunning);
  }

  @Test
  void aZombieIsNotRunning() throws Exception {
    // The shell becomes `sleep 60`, which never waits for its short-lived child.
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & exec sleep 60").start();
    try {
      ProcessHandle child = awaitChildren(parent, 1).get(0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (ProcessTree.isRunning(child) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ProcessTree.isRunning(child)).isFalse();
      assertThat(child.isAlive()).as("the JDK still counts a zombie as alive").isTrue();
      assertThat(ProcessTree.stop(parent.toHandle(), Duration.ofSeconds(5))).isTrue();
    } finally {
      parent.destroyForcibly();
    }
  }

  private static List<ProcessHandle> awaitChildren(Process process, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> children = process.descendants().toList();
      if (children.size() >= count) {
        return children;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the children did not start");
  }
}
