package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.runs.RunStatus;
import dev.dbtplatform.api.runs.StoredRun;
import dev.dbtplatform.api.storage.ArtifactStream;
import dev.dbtplatform.api.storage.ObjectStoreException;
import dev.dbtplatform.api.storage.ObjectStoreUnavailableException;
import dev.dbtplatform.api.storage.RunFiles;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * A run's artifacts (manifest.json, run_results.json, catalog.json...) from object storage, where
 * the log-flush Job put them. Without {@code ?step=N}, the last step that has the file.
 */
final class ArtifactsApi implements ApiRoutes {
  private final ApiServices services;
  private final RunsApi runs;

  ArtifactsApi(ApiServices services, RunsApi runs) {
    this.services = services;
    this.runs = runs;
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get(RunsApi.RUN + "/artifacts", this::list);
    routes.get(RunsApi.RUN + "/artifacts/<path>", this::runArtifact);
    routes.get(TriggerApi.JOB + "/artifacts/<path>", this::jobArtifact);
  }

  void list(Context ctx) {
    StoredRun run = runs.run(ctx);
    Integer step = step(ctx);
    List<String> paths = List.of();
    if (hasArtifacts(run)) {
      RunFiles files = files();
      int chosen = step != null ? step : lastStepWithArtifacts(run).orElse(0);
      paths = chosen == 0 ? List.of() : store(() -> files.artifactPaths(run.logsBucket(), run.logsPrefix(), chosen));
    }
    ApiServer.json(ctx, 200, Envelope.success(paths));
  }

  void runArtifact(Context ctx) {
    StoredRun run = runs.run(ctx);
    if (!hasArtifacts(run)) {
      throw ApiException.notFound("Run " + run.id() + " has no artifacts " + (run.status().isComplete()
          ? "saved yet: they are saved shortly after the run ends." : "yet: it is " + run.status().humanized + "."));
    }
    send(ctx, run, ctx.pathParam("path"), step(ctx));
  }

  /** An artifact of the job's latest successful run (dbt Cloud's way to fetch "the current" manifest). */
  void jobArtifact(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    long jobId = PathIds.parse(ctx, "job_id", "job");
    StoredRun run = services.runs().latestOfJob(account.id(), jobId, List.of(RunStatus.SUCCESS))
        .filter(ArtifactsApi::hasArtifacts)
        .orElseThrow(() -> ApiException.notFound("Job " + jobId + " has no successful run with saved artifacts."));
    send(ctx, run, ctx.pathParam("path"), step(ctx));
  }

  private void send(Context ctx, StoredRun run, String path, Integer step) {
    RunFiles files = files();
    Optional<ArtifactStream> found;
    try {
      if (step != null) {
        found = store(() -> files.artifact(run.logsBucket(), run.logsPrefix(), step, path));
      } else {
        found = Optional.empty();
        List<Integer> steps = store(() -> files.stepsWithArtifacts(run.logsBucket(), run.logsPrefix()));
        for (int i = steps.size() - 1; i >= 0 && found.isEmpty(); i--) {
          int n = steps.get(i);
          found = store(() -> files.artifact(run.logsBucket(), run.logsPrefix(), n, path));
        }
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("The artifact path '" + QueryParams.abbreviate(path) + "' is not valid: " + e.getMessage());
    }
    ArtifactStream artifact = found.orElseThrow(() -> ApiException.notFound("Run " + run.id() + " has no artifact '"
        + QueryParams.abbreviate(path) + "'" + (step == null ? "" : " in step " + step) + "."));
    // No Content-Length of the stored object: the answer goes out gzipped to clients that accept
    // it (requests, httpx and aiohttp all do), and then that length would be wrong.
    ctx.status(200).contentType(artifact.contentType());
    try (ArtifactStream in = artifact) {
      in.content().transferTo(ctx.outputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("sending artifact " + path + " of run " + run.id(), e);
    }
  }

  private Optional<Integer> lastStepWithArtifacts(StoredRun run) {
    List<Integer> steps = store(() -> files().stepsWithArtifacts(run.logsBucket(), run.logsPrefix()));
    return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
  }

  private static boolean hasArtifacts(StoredRun run) {
    return run.artifactsSaved() && run.logsBucket() != null && run.logsPrefix() != null;
  }

  private RunFiles files() {
    if (services.files() == null) {
      throw new ApiException(503, "This API server has no object store configured, so it cannot read run artifacts.");
    }
    return services.files();
  }

  private static <T> T store(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (ObjectStoreUnavailableException e) {
      throw new ApiException(503, "Run artifacts are in object storage, which cannot be reached right now; try again shortly.");
    } catch (ObjectStoreException e) {
      throw new ApiException(502, "Object storage refused to give the artifact: " + e.getMessage());
    }
  }

  private static Integer step(Context ctx) {
    Long step = new QueryParams(ctx).id("step");
    if (step != null && (step < 1 || step > 1000)) {
      throw ApiException.badRequest("Query parameter 'step' must be a step number from 1, got " + step + ".");
    }
    return step == null ? null : step.intValue();
  }
}
