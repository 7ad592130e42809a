package dev.dbtplatform.api;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.User;
import dev.dbtplatform.api.db.UserRepository;
import dev.dbtplatform.api.storage.ObjectStoreSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's command line.
 *
 * <pre>
 * serve                                        (default) serve the API; configuration from DBT_PLATFORM_* variables
 * create-account NAME NAMESPACE                an account whose resources live in NAMESPACE; prints its id
 * create-user ACCOUNT_ID USERNAME [EMAIL]      a user of the account (develop sessions); prints its id
 * create-token ACCOUNT_ID NAME [--user USERNAME]
 *                                              a service token, or with --user the user's personal
 *                                              token; prints it, the only time it is shown
 * </pre>
 */
public final class ApiMain {
  private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);
  private static final String CREATE_USER = "create-user ACCOUNT_ID USERNAME [EMAIL]";
  private static final String CREATE_TOKEN = "create-token ACCOUNT_ID NAME [--user USERNAME]";

  private ApiMain() {}

  public static void main(String[] args) throws InterruptedException {
    int code = run(args, System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws InterruptedException {
    String command = args.length == 0 ? "serve" : args[0];
    try {
      switch (command) {
        case "serve" -> {
          Running running = start(env);
          CountDownLatch stopped = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
          }, "api-shutdown"));
          stopped.await();
          return 0;
        }
        case "create-account" -> {
          requireArgs(args, 3, "create-account NAME NAMESPACE");
          try (Database db = database(ApiConfig.fromEnv(env))) {
            Account account = new AccountRepository(db).create(args[1], args[2]);
            out.println(account.id());
            return 0;
          }
        }
        case "create-user" -> {
          if (args.length != 3 && args.length != 4) {
            throw new IllegalArgumentException("usage: " + CREATE_USER);
          }
          long accountId = accountId(args[1], CREATE_USER);
          try (Database db = database(ApiConfig.fromEnv(env))) {
            if (new AccountRepository(db).find(accountId).isEmpty()) {
              err.println("no account " + accountId);
              return 2;
            }
            User user = new UserRepository(db).create(accountId, args[2], args.length == 4 ? args[3] : null);
            out.println(user.id());
            return 0;
          }
        }
        case "create-token" -> {
          boolean personal = args.length == 5 && args[3].equals("--user");
          if (args.length != 3 && !personal) {
            throw new IllegalArgumentException("usage: " + CREATE_TOKEN);
          }
          long accountId = accountId(args[1], CREATE_TOKEN);
          try (Database db = database(ApiConfig.fromEnv(env))) {
            if (new AccountRepository(db).find(accountId).isEmpty()) {
              err.println("no account " + accountId);
              return 2;
            }
            TokenRepository tokens = new TokenRepository(db);
            if (!personal) {
              out.println(tokens.create(accountId, args[2]).plainToken());
              return 0;
            }
            Optional<User> user = new UserRepository(db).find(accountId, args[4]);
            if (user.isEmpty()) {
              err.println("account " + accountId + " has no user '" + args[4] + "'; make it first with: create-user "
                  + accountId + " " + args[4] + " [EMAIL]");
              return 2;
            }
            out.println(tokens.createPersonal(user.get(), args[2]).plainToken());
            return 0;
          }
        }
        default -> {
          err.println("unknown command " + command + "; use serve, create-account NAME NAMESPACE, " + CREATE_USER
              + " or " + CREATE_TOKEN);
          return 2;
        }
      }
    } catch (UserRepository.DuplicateUserException e) {
      err.println(e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("invalid configuration or arguments: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      // the database unreachable or refusing the login: say so without a stack trace of the pool
      err.println("cannot " + command + ": " + e.getMessage());
      return 1;
    }
  }

  /** The API server with the database pool and Kubernetes client it owns. */
  public record Running(ApiPlatform platform, Database db, KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      platform.close();
      db.close();
      client.close();
    }
  }

  public static Running start(Map<String, String> env) {
    ApiConfig config = ApiConfig.fromEnv(env);
    var server = config.server();
    var tls = ApiTls.fromEnv(env);
    if (tls != null) {
      server = server.withTls(tls);
    }
    ObjectStoreSettings objectStore = ObjectStoreSettings.fromEnv(env);
    Database db = database(config);
    KubernetesClient client = new KubernetesClientBuilder().build();
    try {
      ApiPlatform platform = ApiPlatform.start(server, db, client, objectStore, config.retention(), config.webhooks(),
          config.webhookSecrets(), config.develop(), Clock.systemUTC());
      LOG.info("dbt-platform API server on port {} ({}), cluster {}, object store {}", platform.port(),
          server.scheme(), client.getConfiguration().getMasterUrl(), objectStore.endpointDescription());
      return new Running(platform, db, client);
    } catch (RuntimeException e) {
      client.close();
      db.close();
      throw e;
    }
  }

  private static Database database(ApiConfig config) {
    return Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
  }

  private static long accountId(String text, String usage) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("the account id must be a whole number, not '" + text + "'; usage: " + usage);
    }
    return Long.parseLong(text);
  }

  private static void requireArgs(String[] args, int count, String usage) {
    if (args.length != count) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }
}
