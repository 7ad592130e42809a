package dev.dbtplatform.local.clients;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code dbt-cloud} executable of dbt-cloud-cli, configured the way its users do it:
 * host, token and account in DBT_CLOUD_* variables, the CA to trust in REQUESTS_CA_BUNDLE.
 * Proxy variables are cleared so that it talks to this machine only.
 */
public final class DbtCloudCli {
  /** Where `make test` installs it (python/client-requirements.txt), from the repository root. */
  static final Path EXECUTABLE = Path.of(".venv-clients", "bin", "dbt-cloud");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
      "http_proxy", "https_proxy", "all_proxy", "no_proxy");

  private final Path executable;
  private final Map<String, String> environment;

  /**
   * @param repositoryRoot where .venv-clients is
   * @param host host and port, as DBT_CLOUD_HOST takes it: the CLI puts https:// before it
   */
  public DbtCloudCli(Path repositoryRoot, String host, String token, long accountId, Path caCertificate) {
    this.executable = repositoryRoot.resolve(EXECUTABLE);
    this.environment = Map.of("DBT_CLOUD_HOST", host, "DBT_CLOUD_API_TOKEN", token,
        "DBT_CLOUD_ACCOUNT_ID", Long.toString(accountId), "REQUESTS_CA_BUNDLE", caCertificate.toString());
  }

  /** What one command did: its exit code, what it printed, and what it printed on stderr. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** stdout as JSON: the API's answer, which the CLI prints as it got it. */
    public JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (JsonProcessingException e) {
        throw new AssertionError(this + ": stdout is not JSON", e);
      }
    }

    @Override
    public String toString() {
      return "dbt-cloud " + String.join(" ", command) + " exited " + exitCode + "\nstdout: " + abbreviated(stdout)
          + "\nstderr: " + abbreviated(stderr);
    }

    private static String abbreviated(String text) {
      return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }
  }

  public Result run(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(executable.toAbsolutePath().toString());
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    PROXY_VARIABLES.forEach(builder.environment()::remove);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("dbt-cloud " + String.join(" ", arguments) + " did not finish in 5 minutes");
      }
      return new Result(List.of(arguments), process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + executable, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dbt-cloud ran", e);
    }
  }

  public static boolean isInstalled(Path repositoryRoot) {
    return Files.isExecutable(repositoryRoot.resolve(EXECUTABLE));
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
