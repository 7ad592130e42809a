package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
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
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(TIMESTAMP);
  }
}
