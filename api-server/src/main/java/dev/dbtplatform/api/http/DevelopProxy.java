package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import dev.dbtplatform.api.db.User;
import dev.dbtplatform.api.develop.RuntimeAddress;
import dev.dbtplatform.api.develop.RuntimePaths;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DevelopPhase;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way to a develop session's runtime: any request under {@code .../develop/sessions/{id}/ide/}
 * goes to the runtime in the session's pod, with the rest of the path, the query string, the
 * method, the body and a few headers, and the runtime's answer comes back as it is produced
 * (dbt's output streams while the command runs). Only the session's user gets through; the
 * runtime sees the session's own token, never the caller's. A session that is not running is
 * resumed first, the request waiting for it, since a user coming back to a stopped session should
 * not have to know it stopped.
 */
final class DevelopProxy implements ApiRoutes {
  static final String IDE = DevelopSessionsApi.ONE + "/ide";
  private static final String IDE_PATH = IDE + "/<path>";
  /** File writes go through here, so more than the API's 1 MiB: a large seed or SQL file. */
  static final long MAX_REQUEST_BYTES = 6L * 1024 * 1024;
  /** What a waiting client is told to wait before trying again. */
  static final int RETRY_AFTER_SECONDS = 5;
  /**
   * The caller's headers the runtime gets: what says what the body is and what answer is
   * wanted. Never Authorization (the runtime has its own token), cookies or proxy headers.
   */
  private static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "Accept-Language",
      "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "Last-Event-ID");
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Disposition", "Content-Language",
      "Cache-Control", "ETag", "Last-Modified", "Retry-After");
  private static final Pattern RUNTIME_PATH = Pattern.compile("/develop/sessions/[^/]+/ide(/.*)?$");
  private static final Logger LOG = LoggerFactory.getLogger(DevelopProxy.class);

  private final DevelopSessions sessions;
  private final ApiServices services;
  private final HttpClient http;

  DevelopProxy(DevelopSessions sessions) {
    this.sessions = sessions;
    this.services = sessions.services();
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // the runtime speaks HTTP/1.1; no h2c upgrade attempts
        .connectTimeout(sessions.settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public void routes(RoutesConfig routes) {
    for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
        HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS)) {
      routes.addHttpHandler(method, IDE, this::forward);
      routes.addHttpHandler(method, IDE_PATH, this::forward);
    }
  }

  void forward(Context ctx) {
    Account account = RequestAuth.account(ctx, services);
    User user = RequestAuth.personalUser(ctx, DevelopSessions.WHAT);
    long id = DevelopSessionsApi.sessionId(ctx);
    DbtDevelopSession session = sessions.own(account, user, id);
    Audit.object(ctx, Kind.DbtDevelopSession.name(), id);
    String path = runtimePath(ctx);
    boolean activity = RuntimePaths.isActivity(path);
    byte[] body = body(ctx);
    session = running(ctx, id, session, activity);
    pass(ctx, id, session, path, body, activity);
  }

  /**
   * The session, ready to take the request. Activity is recorded first (throttled); a session
   * that is not running is resumed by recording activity now, and the request waits for it, up to
   * the configured time, reading the session again every poll interval.
   */
  private DbtDevelopSession running(Context ctx, long id, DbtDevelopSession session, boolean activity) {
    DevelopPhase phase = phase(session);
    if (phase == DevelopPhase.Failed) {
      throw failed(id, session);
    }
    if (phase == DevelopPhase.Ready) {
      if (activity) {
        sessions.write(id, "record activity on the develop session", () -> sessions.activity.touch(session));
      }
      return session;
    }
    if (phase == DevelopPhase.Stopped) {
      // whatever this process wrote before, the session stopped after it: only a newer time resumes it
      sessions.write(id, "resume the develop session", () -> sessions.activity.touchNow(session));
    } else {
      sessions.write(id, "record activity on the develop session", () -> sessions.activity.touch(session));
    }
    long deadline = System.nanoTime() + sessions.settings.resumeWait().toNanos();
    DbtDevelopSession current = session;
    while (System.nanoTime() < deadline) {
      sleep(Math.min(sessions.settings.pollInterval().toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      current = sessions.reread(current);
      if (current == null) {
        throw sessions.resources.notFound(id);
      }
      if (phase(current) == DevelopPhase.Ready) {
        return current;
      }
      if (phase(current) == DevelopPhase.Failed) {
        throw failed(id, current);
      }
    }
    String message = current.getStatus() == null ? null : current.getStatus().message;
    throw starting(ctx, id, "is starting" + (phase(current) == DevelopPhase.Stopped ? " again after a stop" : "")
        + (message == null ? "" : " (" + message + ")"));
  }

  private void pass(Context ctx, long id, DbtDevelopSession session, String path, byte[] body, boolean activity) {
    RuntimeAddress address = Cluster.call(() -> RuntimeAddress.of(services.cluster(), session))
        .orElseThrow(() -> starting(ctx, id, "is starting: its pod has no address yet"));
    String token = Cluster.call(() -> sessions.tokens.token(session));
    if (token == null) {
      throw starting(ctx, id, "is starting: its token Secret is not there yet");
    }
    HttpResponse<InputStream> answer = exchange(ctx, id, address, path, body, token);
    if (answer.statusCode() == 401) {
      // the token Secret was made anew since this server cached its token: read it again, once
      sessions.tokens.forget(session);
      String fresh = Cluster.call(() -> sessions.tokens.token(session));
      if (fresh != null && !fresh.equals(token)) {
        close(answer);
        answer = exchange(ctx, id, address, path, body, fresh);
      }
    }
    stream(ctx, session, answer, activity);
  }

  private HttpResponse<InputStream> exchange(Context ctx, long id, RuntimeAddress address, String path, byte[] body,
                                             String token) {
    URI uri;
    try {
      uri = address.uri(path, ctx.queryString());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("The path or query string cannot be passed on to the develop runtime: "
          + e.getMessage() + ". Percent-encode special characters.");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(sessions.settings.answerTimeout())
        .method(ctx.method().name(), body.length == 0
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String name : REQUEST_HEADERS) {
      String value = ctx.header(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    request.header("Authorization", "Bearer " + token);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new ApiException(504, "The runtime of develop session " + id + " did not start answering within "
          + sessions.settings.answerTimeout().toSeconds() + " s; try again, or stop and resume the session.");
    } catch (ConnectException e) {
      ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      throw new ApiException(502, "The runtime of develop session " + id + " refused the connection; it may be "
          + "restarting. Retry in " + RETRY_AFTER_SECONDS + " s.");
    } catch (IOException e) {
      ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      throw new ApiException(502, "The runtime of develop session " + id + " did not answer (" + e.getMessage()
          + "); retry in " + RETRY_AFTER_SECONDS + " s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "The server is shutting down; retry shortly.");
    }
  }

  /**
   * The runtime's answer, passed on as it comes: each piece is flushed to the client as soon as
   * it is read, so a command's output arrives while the command runs. Written to the servlet
   * response directly, past the server's compression, which would hold pieces back. A long
   * command counts as activity for as long as its output flows.
   */
  private void stream(Context ctx, DbtDevelopSession session, HttpResponse<InputStream> answer, boolean activity) {
    ApiServer.answeredAsIs(ctx);
    ctx.status(answer.statusCode());
    answer.headers().firstValue("Content-Type").ifPresent(ctx.res()::setContentType);
    for (String name : RESPONSE_HEADERS) {
      answer.headers().firstValue(name).ifPresent(v -> ctx.res().setHeader(name, v));
    }
    ctx.res().setHeader("X-Accel-Buffering", "no"); // and past an nginx ingress's buffering
    try (InputStream in = answer.body()) {
      OutputStream out = ctx.res().getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n > 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
        if (activity) {
          keepAlive(session);
        }
      }
      out.flush();
    } catch (IOException e) {
      // the client went away, or the runtime stopped mid-answer: the status is out, nothing more can be said
      LOG.debug("develop session {}: answer cut short: {}", session.getMetadata().getName(), e.getMessage());
    }
  }

  private void keepAlive(DbtDevelopSession session) {
    try {
      sessions.activity.touch(session);
    } catch (KubernetesClientException e) {
      LOG.warn("develop session {}/{}: cannot record activity: {}", session.getMetadata().getNamespace(),
          session.getMetadata().getName(), e.getMessage());
    }
  }

  /** The request body, refused with 413 past the limit before it is all read. */
  private static byte[] body(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_REQUEST_BYTES) {
      throw tooLarge();
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 0);
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = ctx.req().getInputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (body.size() + n > MAX_REQUEST_BYTES) {
          throw tooLarge();
        }
        body.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw ApiException.badRequest("The request body could not be read: " + e.getMessage());
    }
    return body.toByteArray();
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "The request body is larger than " + MAX_REQUEST_BYTES / 1024
        + " KiB, the most a request to a develop session may carry.");
  }

  /** The runtime's path: what follows {@code /ide} in the request's path, as sent (still encoded). */
  static String runtimePath(Context ctx) {
    Matcher m = RUNTIME_PATH.matcher(ctx.path());
    String rest = m.find() ? m.group(1) : null;
    return rest == null || rest.isEmpty() ? "/" : rest;
  }

  private static DevelopPhase phase(DbtDevelopSession session) {
    return session.getStatus() == null ? null : session.getStatus().phase;
  }

  private static ApiException failed(long id, DbtDevelopSession session) {
    String message = session.getStatus() == null ? null : session.getStatus().message;
    return new ApiException(409, "Develop session " + id + " failed: "
        + (message == null || message.isBlank() ? "see its state" : message)
        + ". Fix that (the environment, the credentials Secret) and make a new session.");
  }

  private static ApiException starting(Context ctx, long id, String what) {
    ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    return new ApiException(503, "Develop session " + id + " " + what + "; retry in " + RETRY_AFTER_SECONDS + " s.");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "The server is shutting down; retry shortly.");
    }
  }

  private static void close(HttpResponse<InputStream> answer) {
    try {
      answer.body().close();
    } catch (IOException e) {
      // nothing was going to be read from it
    }
  }
}
