package dev.dbtplatform.bench.api;

import dev.dbtplatform.api.ApiPlatform;
import dev.dbtplatform.bench.BenchSection;
import dev.dbtplatform.bench.BenchSettings;
import dev.dbtplatform.bench.Benchmark;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.http.ApiServerSettings;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Benchmark 4: the API's run lookup and filtered runs list with token auth, over a run history
 * of {@code historyRuns} rows, next to its two limits measured in the same run: the server's
 * cheapest route (the HTTP stack's ceiling) and PostgreSQL's primary-key lookup rate.
 */
public final class ApiBench implements Benchmark {
  private static final String DB = "api";
  private static final String USER = "api";
  private static final String PASSWORD = "bench-password";

  /** What to measure with. */
  public record Settings(int historyRuns, int concurrency, Duration warmup, Duration window) {}

  /** The loads measured and the database settings that shape them. */
  public record Outcome(List<LoadResult> loads, String postgresSettings, Duration fillTime) {}

  @Override
  public int number() {
    return 4;
  }

  @Override
  public String key() {
    return "api";
  }

  @Override
  public String title() {
    return "API run lookup and runs list";
  }

  @Override
  public String target() {
    return "≥ 5,000 req/s at p99 ≤ 20 ms for a run lookup";
  }

  @Override
  public Map<String, String> options() {
    return Map.of("history-runs", "100000", "concurrency", "16", "warmup-seconds", "20", "seconds", "10");
  }

  @Override
  public BenchSection run(BenchSettings settings, PrintStream log) throws Exception {
    Settings s = new Settings(settings.integer("history-runs"), settings.integer("concurrency"),
        settings.seconds("warmup-seconds"), settings.seconds("seconds"));
    return section(s, measure(s, log));
  }

  static BenchSection section(Settings s, Outcome outcome) {
    List<LoadResult> l = outcome.loads();
    LoadResult lookup = l.get(0), list = l.get(1), ceiling = l.get(2), pk = l.get(3);
    List<BenchSection.Row> rows = List.of(
        new BenchSection.Row(lookup.name(), lookup.figures(), String.format("%.0f%% of cheapest route, %.0f%% of PK lookups",
            100 * lookup.perSecond() / ceiling.perSecond(), 100 * lookup.perSecond() / pk.perSecond()),
            "≥ 5,000 req/s at p99 ≤ 20 ms", BenchSection.verdict(lookup.perSecond() >= 5000 && lookup.p99Millis() <= 20)),
        new BenchSection.Row(list.name(), list.figures(), String.format("%.0f%% of cheapest route",
            100 * list.perSecond() / ceiling.perSecond()), "(none set)", ""),
        BenchSection.Row.limit(ceiling.name(), ceiling.figures()),
        BenchSection.Row.limit(pk.name(), pk.figures()));
    Map<String, Double> figures = new LinkedHashMap<>();
    String[] keys = {"lookup", "list", "ceiling", "pk"};
    for (int i = 0; i < keys.length; i++) {
      figures.put(keys[i] + ".perSecond", l.get(i).perSecond());
      figures.put(keys[i] + ".p99Millis", l.get(i).p99Millis());
      figures.put(keys[i] + ".errors", (double) l.get(i).errors());
    }
    String method = String.format("%,d runs in history, %d connections, %d s warm-up and %d s measured per load. ",
        s.historyRuns(), s.concurrency(), s.warmup().toSeconds(), s.window().toSeconds())
        + "One JVM runs the embedded PostgreSQL (zonky: " + outcome.postgresSettings() + "), the embedded "
        + "Kubernetes API stand-in and the API server as ApiPlatform starts it, over **plain HTTP** "
        + "(ApiServerSettings.plain, as the API's tests use it; `make run` serves HTTPS) with the per-token rate "
        + "limit lifted so that it is not what is measured. Run history holds the given number of finished runs of "
        + "one account (20 jobs, one in ten failed), inserted with one INSERT ... SELECT over generate_series and "
        + "analyzed. The load generator runs in the same JVM, on the same cores: a fixed number of platform "
        + "threads, each with one keep-alive HTTP/1.1 connection on loopback, sending the next request when the "
        + "last one is answered (closed loop), with a service token (`Authorization: Token ...`). A warm-up, then "
        + "a measured window (the warm-up is long because on 2 cores the JIT compiler still takes a sixth of the CPU "
        + "15-20 s after start, seen in a CPU profile; measured after 5 s, the lookup did about 40% fewer requests): "
        + "requests/s counts the requests that started and ended in the window; p50/p99 are "
        + "their latencies. The run lookup picks a random run id per request; the list asks for one random job's "
        + "successful runs, newest first, 20 per page. Limits, same run and concurrency: `GET /` (no auth, no "
        + "database: the HTTP stack's ceiling) and `select * from runs where id = ?` over JDBC, one connection "
        + "per thread.";
    return new BenchSection(4, "API", rows, method, figures);
  }

  static Outcome measure(Settings s, PrintStream log) throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
         EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      postgres.createDatabase(DB, USER, PASSWORD);
      String url = postgres.jdbcUrl(DB);
      try (Database db = Database.open(url, USER, PASSWORD);
           KubernetesClient cluster = kubernetes.newClient();
           // plain HTTP, as the API's tests use it; the rate limit is lifted so it is not what is measured
           ApiPlatform api = ApiPlatform.start(ApiServerSettings.plain("127.0.0.1", 0)
               .withRateLimit(1e9, Integer.MAX_VALUE), db, cluster, null, Clock.systemUTC())) {
        Account account = new AccountRepository(db).create("Bench", "bench");
        String auth = "Token " + new TokenRepository(db).create(account.id(), "bench").plainToken();
        long started = System.nanoTime();
        long[] ids = RunHistoryFill.fill(db.dataSource(), account.id(), account.namespace(), s.historyRuns());
        Duration fillTime = Duration.ofNanos(System.nanoTime() - started);
        log.printf("api: %,d runs in history (filled in %.1f s), %d connections%n", s.historyRuns(),
            fillTime.toMillis() / 1000.0, s.concurrency());

        int port = api.port();
        String runs = "/api/v2/accounts/" + account.id() + "/runs/";
        List<LoadResult> loads = new ArrayList<>();
        loads.add(measure(log, s, "run lookup GET .../runs/{id}/", () -> new HttpWorker(port, auth,
            () -> runs + ThreadLocalRandom.current().nextLong(ids[0], ids[1] + 1) + "/")));
        loads.add(measure(log, s, "runs list ?job_definition_id&status, 20 per page", () -> new HttpWorker(port, auth,
            () -> runs + "?job_definition_id=" + (1 + ThreadLocalRandom.current().nextInt(20))
                + "&status=10&order_by=-id&limit=20")));
        loads.add(measure(log, s, "limit: cheapest route GET / (no auth, no database)",
            () -> new HttpWorker(port, null, () -> "/")));
        loads.add(measure(log, s, "limit: PostgreSQL run by primary key (JDBC)",
            () -> new PrimaryKeyLookups(url, USER, PASSWORD, ids[0], ids[1])));
        return new Outcome(loads, postgresSettings(db), fillTime);
      }
    }
  }

  private static LoadResult measure(PrintStream log, Settings s, String name, LoadRun.WorkerFactory workers)
      throws InterruptedException {
    LoadResult result = LoadRun.run(name, s.concurrency(), s.warmup(), s.window(), workers);
    log.printf("api: %-50s %s%n", name, result.figures());
    return result;
  }

  /** Durability settings decide what each authenticated request's token UPDATE costs: say which ran. */
  private static String postgresSettings(Database db) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = db.dataSource().getConnection();
         ResultSet rs = c.createStatement().executeQuery("select name, current_setting(name) from pg_settings "
             + "where name in ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections') "
             + "order by name")) {
      while (rs.next()) {
        out.append(out.length() == 0 ? "" : ", ").append(rs.getString(1)).append('=').append(rs.getString(2));
      }
    }
    return out.toString();
  }

  /** Sends GETs to paths from a supplier and expects 200. */
  private static final class HttpWorker implements LoadRun.Worker {
    private final HttpConnection connection;
    private final String authorization;
    private final Supplier<String> paths;

    HttpWorker(int port, String authorization, Supplier<String> paths) throws Exception {
      this.connection = new HttpConnection(port);
      this.authorization = authorization;
      this.paths = paths;
    }

    @Override
    public void request() throws Exception {
      int status = connection.get(paths.get(), authorization);
      if (status != 200) {
        throw new IllegalStateException("status " + status);
      }
    }

    @Override
    public void close() throws Exception {
      connection.close();
    }
  }
}
