package dev.dbtplatform.local.node;

/** A trivial main class for launcher script tests: prints its arguments and an env variable. */
public final class PrintArgs {
  private PrintArgs() {}

  public static void main(String[] args) {
    System.out.println("args=" + String.join("|", args));
    System.out.println("env=" + System.getenv("PRINT_ARGS_ENV"));
  }
}
