package dev.dbtplatform.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DevelopPhase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full develop loop in one-machine mode, through the API with a user's personal token: the
 * operator starts the develop pod, the local node runs the real develop runtime on the user's
 * workspace, and the loop edits, compiles, builds and previews with real dbt against the embedded
 * PostgreSQL, commits and pushes to the project's real git remote, stops and resumes the session.
 */
class DevelopLoopTest {
  @TempDir
  Path state;

  @Test
  void aUserGoesThroughTheWholeDevelopLoop() throws Exception {
    Path projectRoot = Path.of("..").toAbsolutePath().normalize();
    try (LocalPlatform platform = LocalPlatform.start(LocalPlatformConfig.defaults(projectRoot).withRoot(state)
        .withApiPort(0).withTlsDir(state.resolve("tls")))) {
      LocalPlatformMain.SETUP_SAMPLES.forEach(platform::applySample);
      platform.applySample(LocalPlatformMain.DEVELOP_ENVIRONMENT_SAMPLE);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

      DevelopDemo.Outcome outcome = new DevelopDemo(platform.apiUrl(), platform.caCertificate(),
          platform.demoAccount().id(), platform.developerToken(), out)
          .run(platform.environmentId(LocalPlatformMain.DEVELOP_ENVIRONMENT), LocalPlatform.DEVELOP_CREDENTIALS_SECRET,
              Duration.ofMinutes(4));
      System.out.print(printed.toString(StandardCharsets.UTF_8));

      // compiled for the user's own schema
      assertThat(outcome.compiledSql()).contains("count(*)").contains("dbt_" + LocalPlatform.DEMO_USER);
      // the sample has 20 customers
      assertThat(outcome.preview().get("columns").toString()).contains("customers");
      assertThat(outcome.preview().get("rows").get(0).get(0).asInt()).isEqualTo(20);
      // the branch reached the remote with the model
      String pushed = git("--git-dir", Path.of(URI.create(platform.sampleRepositoryUrl())).toString(),
          "show", DevelopDemo.BRANCH + ":" + DevelopDemo.MODEL_PATH);
      assertThat(pushed).isEqualTo(DevelopDemo.MODEL_SQL);
      // stopped and resumed on the same workspace: the file came back from it
      assertThat(outcome.resumedContent()).isEqualTo(DevelopDemo.MODEL_SQL);
      DbtDevelopSession session = platform.client().resources(DbtDevelopSession.class).inNamespace(platform.namespace())
          .list().getItems().get(0);
      assertThat(session.getStatus().phase).isEqualTo(DevelopPhase.Ready);
      assertThat(session.getStatus().resumes).isEqualTo(1);
    }
  }

  private static String git(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
