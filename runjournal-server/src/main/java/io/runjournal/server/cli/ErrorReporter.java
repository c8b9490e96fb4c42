package io.runjournal.server.cli;

import io.runjournal.RunJournalException;
import io.runjournal.client.RunJournalClientException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr, {@code runjournal: <code>: <message>}, and its exit
 * status (see {@link ExitCodes}). No stack trace: the messages of the journal's errors name the
 * run, file, line or numbers the operator needs.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    String help = "see '" + command.getCommandSpec().qualifiedName() + " --help'";
    report(command, "usage", error.getMessage() + " (" + help + ")");
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(
      Exception error, CommandLine command, ParseResult parseResult) {
    if (error instanceof RunJournalException journalError) {
      report(command, journalError.code(), journalError.getMessage());
      return ExitCodes.forErrorCode(journalError.code());
    }
    if (error instanceof RunJournalClientException serverError) {
      // The server's detail is the journal's own message, so both paths print the same line.
      String message = serverError.detail() != null ? serverError.detail() : error.getMessage();
      report(command, serverError.type(), message);
      return ExitCodes.forErrorCode(serverError.type());
    }
    report(command, "internal-error", error.toString());
    return ExitCodes.PROBLEMS;
  }

  private static void report(CommandLine command, String code, String message) {
    String oneLine = String.valueOf(message).replace('\n', ' ').replace('\r', ' ');
    command.getErr().println("runjournal: " + code + ": " + oneLine);
    command.getErr().flush();
  }
}
