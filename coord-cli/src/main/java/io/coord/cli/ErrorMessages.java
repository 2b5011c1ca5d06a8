package io.coord.cli;

import io.coord.client.CoordException;
import io.coord.client.CoordTimeoutException;
import io.coord.client.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failure into the one line the user reads, naming the fix where there is one. */
final class ErrorMessages {
  private ErrorMessages() {}

  static String describe(Throwable failure, List<String> endpoints, Duration timeout) {
    Throwable cause = unwrap(failure);
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getMessage();
    if (cause instanceof CliException) {
      return message;
    }
    if (cause instanceof UnavailableException) {
      return "no member of " + String.join(",", endpoints) + " could serve the request within "
          + DurationConverter.format(timeout) + ": is a majority of the members up? check"
          + " 'coord cluster status' (" + message + ")";
    }
    if (cause instanceof CoordTimeoutException) {
      return "the request timed out after " + DurationConverter.format(timeout)
          + ": raise --timeout or check 'coord cluster status' (" + message + ")";
    }
    if (cause instanceof CoordException) {
      // The server's messages name the field, the limit or the revision already.
      return message;
    }
    if (cause instanceof IOException) {
      return "I/O error: " + message;
    }
    return "unexpected error: " + cause + " (rerun with --debug for the stack trace)";
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
