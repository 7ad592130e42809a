package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v2/accounts/} and {@code /api/v2/accounts/{a}/}, and the same on v3. */
final class AccountsApi implements ApiRoutes {
  /** dbt Cloud's timestamp format, e.g. {@code 2024-05-01 12:00:00.123456+00:00}. */
  static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

  private final AccountRepository accounts;

  AccountsApi(ApiServices services) {
    this.accounts = services.accounts();
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get("/api/v2/accounts", this::list);
    routes.get("/api/v2/accounts/{account_id}", this::get);
    // dbt Cloud answers the same on v3, where dbt-cloud-cli's `account list` asks
    routes.get("/api/v3/accounts", this::list);
    routes.get("/api/v3/accounts/{account_id}", this::get);
  }

  /** The accounts the token can see: its own. */
  void list(Context ctx) {
    Account account = accounts.find(RequestAuth.accountId(ctx))
        .orElseThrow(() -> ApiException.unauthorized("Invalid token: its account no longer exists."));
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("limit", 100);
    filters.put("offset", 0);
    ApiServer.json(ctx, 200, Envelope.list(List.of(toJson(account)), filters, "id", 1));
  }

  void get(Context ctx) {
    long id = PathIds.parse(ctx, "account_id", "account");
    // Another account's id answers exactly like one that does not exist.
    Account account = (id == RequestAuth.accountId(ctx) ? accounts.find(id) : Optional.<Account>empty())
        .orElseThrow(() -> ApiException.notFound("Account " + id + " was not found."));
    ApiServer.json(ctx, 200, Envelope.success(toJson(account)));
  }

  static Map<String, Object> toJson(Account a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("name", a.name());
    m.put("state", 1);
    m.put("plan", "enterprise");
    m.put("pending_cancel", false);
    m.put("locked", false);
    m.put("docs_job_id", null);
    m.put("freshness_job_id", null);
    m.put("created_at", timestamp(a.createdAt()));
    m.put("updated_at", timestamp(a.createdAt()));
    return m;
  }

  static String timestamp(OffsetDateTime t) {
    if (t == null) {
      return null;
    }
    LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    if (utc.getYear() < 0 || utc.getYear() > 9999) {
      return utc.atOffset(ZoneOffset.UTC).format(TIMESTAMP);
    }
    // Written by hand: every run in every answer has a dozen of these, and DateTimeFormatter costs
    // more than all the rest of a run's JSON.
    char[] c = "0000-00-00 00:00:00.000000+00:00".toCharArray();
    digits(c, 0, 4, utc.getYear());
    digits(c, 5, 2, utc.getMonthValue());
    digits(c, 8, 2, utc.getDayOfMonth());
    digits(c, 11, 2, utc.getHour());
    digits(c, 14, 2, utc.getMinute());
    digits(c, 17, 2, utc.getSecond());
    digits(c, 20, 6, utc.getNano() / 1000);
    return new String(c);
  }

  /** Writes {@code value} as {@code width} decimal digits ending at {@code at + width - 1}. */
  private static void digits(char[] c, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--, value /= 10) {
      c[i] = (char) ('0' + value % 10);
    }
  }
}
