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
import java.util.stream.Collectors;
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
  /** The JIT compiler counts as quiet below this share of one core, see {@link Warmup}. */
  static final double QUIET_JIT = 0.02;

  public record Settings(int historyRuns, int concurrency, Warmup warmup, Duration window) {}

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
    return Map.of("history-runs", "100000", "concurrency", "16", "warmup-seconds", "20",
        "warmup-max-seconds", "120", "seconds", "10");
  }

  @Override
  public BenchSection run(BenchSettings settings, PrintStream log) throws Exception {
    Settings s = new Settings(settings.integer("history-runs"), settings.integer("concurrency"),
        new Warmup(settings.seconds("warmup-seconds"), settings.seconds("warmup-max-seconds"), QUIET_JIT),
        settings.seconds("seconds"));
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
    String warmups = l.stream().map(r -> String.format("%.0f", r.warmupSeconds())).collect(Collectors.joining(", "));
    String method = String.format("%,d runs in history, %d connections; each load warms up for at least %d s and at "
            + "most %d s, until the JIT compiler goes quiet (here %s s, in the order of the rows), and is then "
            + "measured for %d s. ", s.historyRuns(), s.concurrency(), s.warmup().least().toSeconds(),
        s.warmup().most().toSeconds(), warmups, s.window().toSeconds())
        + "One JVM runs the embedded PostgreSQL (zonky: " + outcome.postgresSettings() + "), the embedded "
        + "Kubernetes API stand-in and the API server as ApiPlatform starts it, over **plain HTTP** "
        + "(ApiServerSettings.plain, as the API's tests use it; `make run` serves HTTPS) with the per-token rate "
        + "limit lifted so that it is not what is measured. Run history holds the given number of finished runs of "
        + "one account (20 jobs, one in ten failed), inserted with one INSERT ... SELECT over generate_series and "
        + "analyzed. The load generator runs in the same JVM, on the same cores: a fixed number of platform "
        + "threads, each with one keep-alive HTTP/1.1 connection on loopback, sending the next request when the "
        + "last one is answered (closed loop), with a service token (`Authorization: Token ...`). The warm-up ends "
        + "once the JIT compiler threads spent less than " + Math.round(QUIET_JIT * 100) + "% of a core over the last "
        + Warmup.QUIET_SPAN.toSeconds() + " s (CompilationMXBean's compilation time): on 2 cores, shared with the "
        + "server and the load threads, the compiler is busy for 40-50 s after the server starts, and the lookup "
        + "measured after a fixed 20 s made about two thirds of its steady rate. In the window, "
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
    log.printf("api: %-50s %s, after %.0f s of warm-up%n", name, result.figures(), result.warmupSeconds());
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
