package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.webhooks.WebhookDeliveries;
import dev.dbtplatform.api.webhooks.WebhookSubscription;
import dev.dbtplatform.api.webhooks.WebhookSubscriptions;
import dev.dbtplatform.api.webhooks.WebhookTester;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * dbt Cloud's v3 webhook subscriptions (list and create on {@code .../subscriptions}, one on
 * {@code .../subscription/{id}}, a test delivery on {@code .../subscription/{id}/test}), and each
 * subscription's delivery log, which dbt Cloud shows only in its UI.
 */
final class WebhooksApi implements ApiRoutes {
  private static final String LIST = "/api/v3/accounts/{account_id}/webhooks/subscriptions";
  private static final String ONE = "/api/v3/accounts/{account_id}/webhooks/subscription/{webhook_id}";
  private static final String DELIVERIES = ONE + "/deliveries";
  private static final String TEST = ONE + "/test";
  private static final String KIND = "WebhookSubscription";
  private static final Pattern PUBLIC_ID = Pattern.compile("wsu_[A-Za-z0-9]{1,28}");

  private final ApiServices services;
  private final WebhookSubscriptions subscriptions;
  private final WebhookDeliveries deliveries;
  private final WebhookTester tester;

  WebhooksApi(ApiServices services) {
    this.services = services;
    this.subscriptions = services.webhooks();
    this.deliveries = services.webhookDeliveries();
    this.tester = services.webhookTester();
  }

  @Override
  public void routes(RoutesConfig routes) {
    routes.get(LIST, this::list);
    routes.post(LIST, this::create);
    routes.get(ONE, this::get);
    routes.put(ONE, this::update);
    routes.delete(ONE, this::delete);
    routes.get(DELIVERIES, this::deliveries);
    // dbt Cloud documents GET; POST too, since the test sends a request and is audited as a write
    routes.get(TEST, this::test);
    routes.post(TEST, this::test);
  }

  void list(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    Paging paging = Paging.of(new QueryParams(ctx));
    WebhookSubscriptions.Page page = subscriptions.list(account.id(), paging.limit(), paging.offset());
    ApiServer.json(ctx, 200, Envelope.list(page.subscriptions().stream().map(WebhookJson::toJson).toList(),
        filters(paging), "id", page.totalCount()));
  }

  void create(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    var spec = WebhookRequest.parse(JsonBody.of(ctx), account.id(), services.ids());
    WebhookSubscriptions.Created created = subscriptions.create(account.id(), spec);
    Audit.object(ctx, KIND, created.subscription().id());
    ApiServer.json(ctx, 201, Envelope.created(WebhookJson.created(created.subscription(), created.secret())));
  }

  void get(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    ApiServer.json(ctx, 200, Envelope.success(WebhookJson.toJson(find(ctx, account))));
  }

  void update(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    WebhookSubscription existing = find(ctx, account);
    Audit.object(ctx, KIND, existing.id());
    var spec = WebhookRequest.parse(JsonBody.of(ctx), account.id(), services.ids());
    WebhookSubscription updated = subscriptions.replace(account.id(), existing.publicId(), spec)
        .orElseThrow(() -> notFound(existing.publicId()));
    ApiServer.json(ctx, 200, Envelope.success(WebhookJson.toJson(updated)));
  }

  void delete(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    WebhookSubscription existing = find(ctx, account);
    Audit.object(ctx, KIND, existing.id());
    if (!subscriptions.delete(account.id(), existing.publicId())) {
      throw notFound(existing.publicId());
    }
    ApiServer.json(ctx, 200, Envelope.success(Map.of("id", existing.publicId())));
  }

  /**
   * Sends one test delivery to the subscription's URL and answers how the receiver took it, as
   * dbt Cloud does: {@code verification_status_code} is the receiver's status as a string (null
   * without an answer) and {@code verification_error} why the test failed, null when it answered
   * 2xx. A receiver that fails the test is still a 200 here: the test itself worked.
   */
  void test(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    WebhookSubscription subscription = find(ctx, account);
    Audit.object(ctx, KIND, subscription.id());
    WebhookTester.Result result = tester.test(subscription);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("webhook_id", subscription.publicId());
    data.put("verification_error", result.error());
    data.put("verification_status_code", result.statusCode() == null ? null : Integer.toString(result.statusCode()));
    ApiServer.json(ctx, 200, Envelope.success(data));
  }

  /** The subscription's deliveries, newest first, each with every attempt and its outcome. */
  void deliveries(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    Paging paging = Paging.of(new QueryParams(ctx));
    WebhookSubscription subscription = find(ctx, account);
    WebhookDeliveries.Page page = deliveries.log(subscription.id(), paging.limit(), paging.offset());
    ApiServer.json(ctx, 200, Envelope.list(page.deliveries().stream().map(WebhookJson::toJson).toList(),
        filters(paging), "-id", page.totalCount()));
  }

  /** The subscription in the path, only if it is this account's: another account's is a 404. */
  private WebhookSubscription find(Context ctx, Account account) {
    String id = ctx.pathParam("webhook_id");
    if (!PUBLIC_ID.matcher(id).matches()) {
      throw notFound(QueryParams.abbreviate(id));
    }
    return subscriptions.find(account.id(), id).orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("Webhook subscription " + id + " was not found.");
  }

  private static Map<String, Object> filters(Paging paging) {
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("limit", paging.limit());
    filters.put("offset", paging.offset());
    return filters;
  }
}
