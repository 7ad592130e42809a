package dev.dbtplatform.bench.prep;

import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.EnvVarSpec;
import dev.dbtplatform.local.LocalPlatform;
import dev.dbtplatform.local.node.FileTrees;
import dev.dbtplatform.runtime.ProfileWriter;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The limit: the same dbt command run directly, as someone would at a terminal, with what the
 * platform's run has: the same dbt (the project's venv), a fresh checkout of the same repository,
 * the same profile (the environment's target and threads, the warehouse Secret's connection) and
 * the same environment variables dbt sees. Timed from just before the process is started to the
 * moment its first line is read from its output.
 */
final class DirectDbt {
  private final Path dbt;
  private final String repositoryUrl;
  private final Path checkout;
  private final Map<String, String> env;

  private DirectDbt(Path dbt, String repositoryUrl, Path checkout, Map<String, String> env) {
    this.dbt = dbt;
    this.repositoryUrl = repositoryUrl;
    this.checkout = checkout;
    this.env = env;
  }

  /** What a run of the platform's environment would give dbt, written under {@code dir}. */
  static DirectDbt prepare(PrepPlatform prep, Path dir) throws IOException, InterruptedException {
    LocalPlatform platform = prep.platform;
    Path checkout = dir.resolve("project");
    clone(platform.sampleRepositoryUrl(), checkout);
    DbtEnvironment environment = platform.client().resources(DbtEnvironment.class).inNamespace(platform.namespace())
        .withName(PrepPlatform.ENVIRONMENT).get();
    var spec = environment.getSpec();
    ProfileWriter.Profile profile = ProfileWriter.write(ProfileWriter.readProfileName(checkout), spec.targetName,
        spec.warehouse.type, spec.threads, warehouse(platform, spec.warehouse.secretRef.name), dir.resolve("profiles"));
    Map<String, String> configured = new LinkedHashMap<>();
    for (EnvVarSpec var : spec.env) {
      configured.put(var.name, var.value);
    }
    Map<String, String> env = new HashMap<>(dev.dbtplatform.runtime.DbtEnvironment.base(System.getenv(), configured,
        profile.file().getParent()));
    env.putAll(profile.secretEnv());
    return new DirectDbt(prep.projectRoot.resolve(".venv/bin/dbt"), platform.sampleRepositoryUrl(), checkout, env);
  }

  /**
   * Runs {@code dbt <args>} in a fresh checkout (made before the clock starts, as the platform's
   * run has one before dbt starts) until its first line; returns the seconds to that line.
   */
  double measure(List<String> dbtArguments) throws IOException, InterruptedException {
    clone(repositoryUrl, checkout);
    List<String> command = new ArrayList<>();
    command.add(dbt.toString());
    command.addAll(dbtArguments.subList(1, dbtArguments.size()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process = builder.start();
    process.getOutputStream().close();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      long firstLine = System.nanoTime();
      if (first == null) {
        throw new IOException(command + " printed nothing");
      }
      return (firstLine - started) / 1e9;
    } finally {
      // The rest of the command is not measured: stopped here, it leaves the cores to the next run.
      process.destroyForcibly();
      process.waitFor(1, TimeUnit.MINUTES);
    }
  }

  private static Map<String, String> warehouse(LocalPlatform platform, String secretName) {
    Secret secret = platform.client().secrets().inNamespace(platform.namespace()).withName(secretName).get();
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) ->
          values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  /** A shallow clone of the default branch, as the run runtime makes it. */
  private static void clone(String url, Path into) throws IOException, InterruptedException {
    FileTrees.deleteRecursively(into);
    Process git = new ProcessBuilder("git", "clone", "-q", "--depth", "1", "--", url, into.toString())
        .redirectErrorStream(true).start();
    String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!git.waitFor(1, TimeUnit.MINUTES) || git.exitValue() != 0) {
      throw new IOException("git clone " + url + " failed: " + output.strip());
    }
  }
}
